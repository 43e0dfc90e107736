package io.parley.gateway.whip;

import io.parley.gateway.config.WebRtcConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libwebrtc's teardown order, on the real library: peers' closes first, the factory after, awaited. */
class WebRtcStackTest {

    @Test
    void closeWaitsForEveryQueuedTeardownAndThenRefusesMore() {
        WebRtcStack stack = WebRtcStack.start(WebRtcConfig.defaults(), "127.0.0.1");
        assertTrue(stack.unavailableReason().isEmpty(), () -> stack.unavailableReason().orElse(""));
        List<String> done = new CopyOnWriteArrayList<>();
        // A peer's close that takes a while (libwebrtc's close does, under load) is still ahead of the disposal.
        assertTrue(stack.control(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.add("peer closed");
        }));
        stack.close();
        assertEquals(List.of("peer closed"), done, "close() returned only after the queued close ran");
        assertFalse(stack.control(() -> done.add("too late")), "nothing is queued behind the disposal");
        stack.close(); // idempotent
        assertEquals(List.of("peer closed"), done);
    }

    @Test
    void mediaIsOfferedWhereTheGatewayListens() {
        WebRtcStack stack = WebRtcStack.start(WebRtcConfig.defaults(), "127.0.0.1");
        try {
            assertEquals(List.of("127.0.0.1"), stack.addresses().current().stream().map(a -> a.getHostAddress()).toList());
            assertTrue(stack.mediaAddresses().orElseThrow().startsWith("127.0.0.1"));
        } finally {
            stack.close();
        }
        WebRtcStack off = WebRtcStack.start(WebRtcConfig.defaults().withEnabled(false), "127.0.0.1");
        assertTrue(off.mediaAddresses().isEmpty());
        off.close();
    }
}
