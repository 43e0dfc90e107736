package io.parley.gateway.ws;

/** Counts messages in one-second windows; used on one connection's event-loop thread. */
final class MessageRate {

    private final int perSecond;
    private long windowStart = System.nanoTime();
    private int count;
    private boolean reported;

    MessageRate(int perSecond) {
        this.perSecond = perSecond;
    }

    /** True if this message is within the limit. */
    boolean allow() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            count = 0;
            reported = false;
        }
        return ++count <= perSecond;
    }

    /** True the first time in a window that the limit is exceeded, so the client is told once, not per frame. */
    boolean firstRefusal() {
        if (reported) {
            return false;
        }
        reported = true;
        return true;
    }
}
