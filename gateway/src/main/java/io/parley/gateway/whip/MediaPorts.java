package io.parley.gateway.whip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The UDP port each WHIP session's media uses. The server picks it and hands libwebrtc a range of
 * exactly that port, because the answer's candidates are written here (see {@link MediaAddresses})
 * and must name the port libwebrtc listens on. One port per session, shared by every address
 * (libwebrtc binds it on the wildcard address and answers ICE on any of them).
 */
final class MediaPorts {

    private final int min;
    private final int max;
    private final Set<Integer> inUse = new HashSet<>();
    private int cursor;

    /** {@code min} and {@code max} 0: any free port the system gives. */
    MediaPorts(int min, int max) {
        this.min = min;
        this.max = max;
        this.cursor = min;
    }

    /** A port free now, reserved until {@link #release}; empty when the range is used up. */
    synchronized Optional<Integer> reserve() {
        if (min == 0) {
            for (int tries = 0; tries < 8; tries++) {
                try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(0))) {
                    int port = probe.getLocalPort();
                    if (inUse.add(port)) {
                        return Optional.of(port);
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
        int size = max - min + 1;
        for (int i = 0; i < size; i++) {
            int port = min + (cursor - min + i) % size;
            if (!inUse.contains(port) && isFree(port)) {
                inUse.add(port);
                cursor = port + 1 > max ? min : port + 1;
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }

    synchronized void release(int port) {
        inUse.remove(port);
    }

    synchronized int reserved() {
        return inUse.size();
    }

    /** Whether nobody (not libwebrtc, not another program) holds the UDP port on the wildcard address. */
    static boolean isFree(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
