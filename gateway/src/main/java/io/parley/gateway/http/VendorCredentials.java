package io.parley.gateway.http;

import io.parley.gateway.ws.Credentials;
import io.vertx.core.http.HttpServerRequest;

/**
 * A credential as the vendors' clients send it: {@code Authorization: Bearer KEY} (OpenAI),
 * {@code Authorization: Token KEY} (Deepgram), or the WebSocket subprotocols {@code token, KEY}
 * or {@code bearer, TOKEN} (Deepgram's SDK in a browser, which cannot set headers); else however
 * Parley's own clients send it.
 */
final class VendorCredentials {

    private VendorCredentials() {
    }

    static String bearerOrToken(HttpServerRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Token ", 0, 6)) {
            return auth.substring(6).strip();
        }
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            String[] parts = protocols.split(",");
            for (int i = 0; i + 1 < parts.length; i++) {
                String scheme = parts[i].strip();
                if (scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer")) {
                    return parts[i + 1].strip();
                }
            }
        }
        return Credentials.token(request);
    }
}
