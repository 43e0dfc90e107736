package io.parley.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that a test names before they start (a Hazelcast member, PostgreSQL).
 *
 * <p>A port taken from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the same
 * range the kernel hands to outgoing connections: in the seconds between choosing it and the
 * server binding it, any client socket on the machine (the test's own HTTP calls, Hazelcast's
 * outbound links, a JDBC pool) may take it, and the server then fails with "address already in
 * use". So the ports chosen here lie below that range, where only listeners bind, at random so
 * that two harnesses in one run do not pick the same one, and each is checked free by binding it.
 */
public final class LoopbackPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below this, ports are reserved to root or to well-known services. */
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    /** A port that is free now, outside the ephemeral range, and not handed out before in this JVM. */
    public static synchronized int free() throws IOException {
        int highest = ephemeralStart() - 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = LOWEST + random.nextInt(highest - LOWEST + 1);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                HANDED_OUT.add(port);
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IOException("no free loopback port between " + LOWEST + " and " + highest);
    }

    /** The first port of the ephemeral range (Linux's default 32768 where it cannot be read). */
    static int ephemeralStart() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            int start = Integer.parseInt(range[0]);
            return start > LOWEST + 1000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
