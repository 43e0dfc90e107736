package io.parley.gateway.ws;

import io.parley.gateway.config.Limits;
import io.parley.gateway.protocol.ErrorCodes;
import io.vertx.core.json.JsonObject;

/**
 * The checks every socket makes on what a client sends, before reading it: frames per second
 * (over one-second windows), the size of a text frame in bytes, and that a control message is
 * a JSON object with a string {@code type}. A refused frame is answered through the
 * {@link Refusal} with a stable code and otherwise ignored; the connection stays usable.
 * Used on one connection's event-loop thread.
 */
public final class InboundFrames {

    /** Where refusals go: the socket's error message. */
    public interface Refusal {
        void refuse(String code, String message);
    }

    private final Limits limits;
    private final Refusal refusal;
    private long windowStart = System.nanoTime();
    private int framesInWindow;
    private boolean refusedInWindow;

    public InboundFrames(Limits limits, Refusal refusal) {
        this.limits = limits;
        this.refusal = refusal;
    }

    /** True if this frame is within the rate; the client is told once per window when it is not. */
    public boolean withinRate() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            framesInWindow = 0;
            refusedInWindow = false;
        }
        if (++framesInWindow <= limits.maxMessagesPerSecond()) {
            return true;
        }
        if (!refusedInWindow) {
            refusedInWindow = true;
            refusal.refuse(ErrorCodes.RATE_LIMITED, "more than " + limits.maxMessagesPerSecond()
                    + " frames in one second; the excess is not used");
        }
        return false;
    }

    /** The control message in a text frame, or null once it has been refused. */
    public JsonObject message(String text) {
        if (!withinRate()) {
            return null;
        }
        if (utf8Length(text) > limits.maxTextFrameBytes()) {
            refusal.refuse(ErrorCodes.FRAME_TOO_LARGE, "control messages are limited to " + limits.maxTextFrameBytes() + " bytes");
            return null;
        }
        JsonObject msg;
        try {
            msg = new JsonObject(text);
        } catch (RuntimeException e) {
            refusal.refuse(ErrorCodes.BAD_JSON, "a text frame must be a JSON object: " + e.getMessage());
            return null;
        }
        if (!(msg.getValue("type") instanceof String)) {
            refusal.refuse(ErrorCodes.INVALID_REQUEST, "every message needs a string \"type\"");
            return null;
        }
        return msg;
    }

    /** The frame's size as it travelled, in UTF-8 bytes, not chars. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
