package io.parley.gateway.ws;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * The last words of a socket the server ends on purpose: a message saying why and whether to
 * come back, {@code {"type":"closing","code":"server_shutdown","message":"...","retryAfterMs":1500}},
 * then the close. A client that reconnects after {@code retryAfterMs} with {@code since} misses nothing.
 */
public final class Closing {

    private Closing() {
    }

    /**
     * @param retryAfterMs the least a client should wait before coming back; each client is told a
     *                     wait between that and twice that, so that a room's viewers do not all
     *                     come back at the same moment. Negative: do not come back (the room is gone)
     */
    public static void tell(ServerWebSocket ws, String code, String message, short closeCode, long retryAfterMs) {
        if (ws.isClosed()) {
            return;
        }
        JsonObject msg = new JsonObject().put("type", "closing").put("code", code).put("message", message);
        if (retryAfterMs >= 0) {
            msg.put("retryAfterMs", retryAfterMs + java.util.concurrent.ThreadLocalRandom.current().nextLong(retryAfterMs + 1));
        }
        ws.writeTextMessage(msg.encode()).onComplete(ar -> ws.close(closeCode, code));
    }
}
