package io.parley.gateway.whip;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ports for sessions' media, on this machine's real UDP sockets. */
class MediaPortsTest {

    /** A run of {@code n} consecutive free UDP ports, found by asking the system for one and looking above it. */
    static int freeRun(int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(0))) {
                base = s.getLocalPort();
            }
            if (base + n > 65535) {
                continue;
            }
            boolean all = true;
            for (int p = base; p < base + n && all; p++) {
                all = MediaPorts.isFree(p);
            }
            if (all) {
                return base;
            }
        }
        throw new IllegalStateException("no run of " + n + " free UDP ports");
    }

    @Test
    void aRangeHandsOutEachPortOnceAndSkipsPortsOthersHold() throws Exception {
        int base = freeRun(3);
        MediaPorts ports = new MediaPorts(base, base + 2);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(base + 1))) {
            Set<Integer> got = new HashSet<>();
            got.add(ports.reserve().orElseThrow());
            got.add(ports.reserve().orElseThrow());
            assertEquals(Set.of(base, base + 2), got, "the port another program holds is skipped");
            assertEquals(Optional.empty(), ports.reserve(), "the range is used up");
            ports.release(base);
            assertEquals(Optional.of(base), ports.reserve(), "a released port is handed out again");
        }
    }

    @Test
    void withoutARangeTheSystemChoosesAndNoPortIsHandedOutTwice() {
        MediaPorts ports = new MediaPorts(0, 0);
        int a = ports.reserve().orElseThrow();
        int b = ports.reserve().orElseThrow();
        assertNotEquals(a, b);
        assertEquals(2, ports.reserved());
    }

    @Test
    void aHeldPortIsNotFree() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(0))) {
            assertFalse(MediaPorts.isFree(s.getLocalPort()));
        }
        int p = freeRun(1);
        assertTrue(MediaPorts.isFree(p));
    }
}
