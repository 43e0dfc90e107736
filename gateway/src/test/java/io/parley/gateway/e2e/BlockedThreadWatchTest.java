package io.parley.gateway.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the watch counts as blocking code, and what as the scheduler keeping a thread waiting. */
class BlockedThreadWatchTest {

    static String report(long ms) {
        return "Thread vert.x-eventloop-thread-0 has been blocked for " + ms + " ms, time limit is 300 ms";
    }

    @Test
    void oneShortStallIsTheScheduler() {
        assertFalse(BlockedThreadWatch.blocking(List.of(report(328))));
        assertFalse(BlockedThreadWatch.blocking(List.of(report(310), report(450))));
    }

    @Test
    void longOrRepeatedOnesAreBlockingCode() {
        assertTrue(BlockedThreadWatch.blocking(List.of(report(600))));
        assertTrue(BlockedThreadWatch.blocking(List.of(report(320), report(370), report(420))));
        assertTrue(BlockedThreadWatch.blocking(List.of("a report in another form")));
    }
}
