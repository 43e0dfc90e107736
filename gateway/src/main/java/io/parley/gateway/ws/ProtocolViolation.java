package io.parley.gateway.ws;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;

/**
 * A frame the WebSocket decoder refused (larger than the connection's limit, or malformed):
 * Vert.x drops the connection right after telling the socket, without a close frame, and a
 * client would only see its connection end (1006). Answering with the close frame first gives
 * it the reason: 1009 for a frame too large, 1002 for a broken one.
 */
final class ProtocolViolation {

    private ProtocolViolation() {
    }

    /** Closes with the violation's status if {@code error} is one; true if it was. */
    static boolean closeFor(ServerWebSocket ws, Throwable error) {
        if (!(error instanceof CorruptedWebSocketFrameException corrupted)) {
            return false;
        }
        short code = (short) corrupted.closeStatus().code();
        ws.close(code, code == 1009 ? "frame_too_large" : "protocol_error");
        return true;
    }
}
