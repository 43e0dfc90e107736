package io.parley.gateway.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the watch counts as blocking code, and what as the scheduler keeping a thread waiting. */
class BlockedThreadWatchTest {

    static String report(long ms) {
        return report("vert.x-eventloop-thread-0", ms);
    }

    static String report(String thread, long ms) {
        return "Thread " + thread + " has been blocked for " + ms + " ms, time limit is 300 ms";
    }

    @Test
    void oneShortStallIsTheScheduler() {
        assertFalse(BlockedThreadWatch.blocking(List.of(report(328))));
        assertFalse(BlockedThreadWatch.blocking(List.of(report(310), report(450))));
    }

    @Test
    void aStallTheCheckerItselfWaitedThroughIsNotBlockingCode() {
        // Seen in CI: one episode, reported at 414 and 601 ms where the checker looks every 50 ms.
        assertFalse(BlockedThreadWatch.blocking(List.of(report(414), report(601))));
        assertFalse(BlockedThreadWatch.blocking(List.of(report(600))));
        assertFalse(BlockedThreadWatch.blocking(List.of(report("vert.x-eventloop-thread-0", 560),
                report("vert.x-eventloop-thread-1", 610))), "two threads, one report each");
    }

    @Test
    void repeatedOrLongOnesSeenOnTimeAreBlockingCode() {
        assertTrue(BlockedThreadWatch.blocking(List.of(report(320), report(370), report(420))));
        assertTrue(BlockedThreadWatch.blocking(List.of(report(560), report(610))));
        assertTrue(BlockedThreadWatch.blocking(List.of("a report in another form")));
    }
}
