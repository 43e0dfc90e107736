package io.parley.gateway.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.concurrent.TimeUnit;

/**
 * Vert.x for the tests, with the blocked-thread checker set tight: an event loop busy for more
 * than {@link #MAX_EVENT_LOOP_MS} is reported, and {@link BlockedThreadWatch} fails the test
 * class in which it happened. The bound is far above what any handler needs (microseconds to a
 * few milliseconds) and far below what blocking work takes (a process start, a database round
 * trip under load, a transcript render), so it catches blocking without tripping on a GC pause.
 */
public final class TightVertx {

    public static final long MAX_EVENT_LOOP_MS = 300;
    /** How often the checker looks: while a thread stays blocked, it reports again at this interval. */
    public static final long CHECK_INTERVAL_MS = 50;

    private TightVertx() {
    }

    public static Vertx create() {
        BlockedThreadWatch.install();
        return Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(CHECK_INTERVAL_MS).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(MAX_EVENT_LOOP_MS).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    }
}
