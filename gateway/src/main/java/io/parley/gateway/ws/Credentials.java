package io.parley.gateway.ws;

import io.vertx.core.http.HttpServerRequest;

/**
 * Finds the token a client presents: {@code Authorization: Bearer <token>}; for browsers, which
 * cannot set headers on a WebSocket, a subprotocol {@code parley.token.<token>} beside
 * {@code parley.v1}; or the query parameter {@code token}.
 */
public final class Credentials {

    public static final String PROTOCOL = "parley.v1";
    private static final String TOKEN_PROTOCOL_PREFIX = "parley.token.";

    private Credentials() {
    }

    public static String token(HttpServerRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            for (String p : protocols.split(",")) {
                String s = p.trim();
                if (s.startsWith(TOKEN_PROTOCOL_PREFIX)) {
                    return s.substring(TOKEN_PROTOCOL_PREFIX.length());
                }
            }
        }
        return request.getParam("token");
    }
}
