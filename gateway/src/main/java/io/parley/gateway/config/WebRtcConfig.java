package io.parley.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * WebRTC ingest (the WHIP endpoint).
 *
 * @param enabled          whether {@code POST /v1/rooms/{room}/whip} is served at all; off, it
 *                         answers 503 {@code webrtc_unavailable} and clients fall back to the
 *                         speaker WebSocket
 * @param minPort          lowest UDP port for media (0 with {@code maxPort} 0: any free port),
 *                         so that a firewall can open a known range
 * @param maxPort          highest port for media
 * @param gatherTimeout    how long an answer waits for libwebrtc to open its media socket
 *                         (WHIP answers carry every candidate: this server does not trickle)
 * @param connectTimeout   how long a session may wait for its client's ICE to connect after the
 *                         answer; a client that never connects (no route to any candidate, or it
 *                         took the answer and went away) is ended then and its slot released
 * @param disconnectGrace  how long a peer may stay disconnected (a network blip) before its
 *                         stream is finished as if the client had sent DELETE
 * @param maxSessions      WebRTC sessions open at once in the whole server
 * @param interfaces       where media is offered: interface names ({@code eth0}) or IPv4
 *                         addresses; empty, the addresses follow {@code --host} (a wildcard host
 *                         offers every interface that is up, loopback when there is no other)
 */
public record WebRtcConfig(boolean enabled, int minPort, int maxPort, Duration gatherTimeout,
                           Duration connectTimeout, Duration disconnectGrace, int maxSessions,
                           List<String> interfaces) {

    public WebRtcConfig {
        if (minPort < 0 || maxPort < 0 || minPort > 65535 || maxPort > 65535) {
            throw new IllegalArgumentException("WebRTC ports must be between 0 and 65535 (got " + minPort + "-" + maxPort + ")");
        }
        if ((minPort == 0) != (maxPort == 0) || minPort > maxPort) {
            throw new IllegalArgumentException("--webrtc-ports takes a range MIN-MAX with MIN <= MAX, e.g. 40000-40100 (got "
                    + minPort + "-" + maxPort + ")");
        }
        if (gatherTimeout == null || gatherTimeout.isNegative() || gatherTimeout.isZero()) {
            throw new IllegalArgumentException("the ICE gathering timeout must be positive");
        }
        if (connectTimeout == null || connectTimeout.toMillis() < 500 || connectTimeout.toMinutes() > 10) {
            throw new IllegalArgumentException("--webrtc-connect-timeout must lie between 0.5 s and 10 min (got "
                    + connectTimeout + ")");
        }
        if (disconnectGrace == null || disconnectGrace.isNegative()) {
            throw new IllegalArgumentException("the disconnect grace period must not be negative");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("at least one WebRTC session must be allowed, not " + maxSessions);
        }
        interfaces = List.copyOf(interfaces == null ? List.of() : interfaces);
        for (String name : interfaces) {
            if (name.isBlank() || name.length() > 64 || !name.matches("[A-Za-z0-9_.:@-]+")) {
                throw new IllegalArgumentException("--webrtc-interfaces takes interface names or IPv4 addresses separated by"
                        + " commas, e.g. eth0,10.0.0.5; '" + name + "' is neither");
            }
        }
    }

    public static WebRtcConfig defaults() {
        return new WebRtcConfig(true, 0, 0, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), 64,
                List.of());
    }

    public WebRtcConfig withEnabled(boolean on) {
        return new WebRtcConfig(on, minPort, maxPort, gatherTimeout, connectTimeout, disconnectGrace, maxSessions, interfaces);
    }

    public WebRtcConfig withConnectTimeout(Duration timeout) {
        return new WebRtcConfig(enabled, minPort, maxPort, gatherTimeout, timeout, disconnectGrace, maxSessions, interfaces);
    }

    public WebRtcConfig withDisconnectGrace(Duration grace) {
        return new WebRtcConfig(enabled, minPort, maxPort, gatherTimeout, connectTimeout, grace, maxSessions, interfaces);
    }

    public WebRtcConfig withMaxSessions(int max) {
        return new WebRtcConfig(enabled, minPort, maxPort, gatherTimeout, connectTimeout, disconnectGrace, max, interfaces);
    }

    /** Parses {@code eth0,10.0.0.5}. */
    public WebRtcConfig withInterfaces(String list) {
        List<String> names = java.util.Arrays.stream(list.split(",", -1)).map(String::strip).toList();
        return new WebRtcConfig(enabled, minPort, maxPort, gatherTimeout, connectTimeout, disconnectGrace, maxSessions, names);
    }

    /** Parses {@code MIN-MAX}. */
    public WebRtcConfig withPorts(String range) {
        String[] parts = range.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--webrtc-ports takes MIN-MAX, e.g. 40000-40100, not '" + range + "'");
        }
        try {
            return new WebRtcConfig(enabled, Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                    gatherTimeout, connectTimeout, disconnectGrace, maxSessions, interfaces);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--webrtc-ports takes whole numbers MIN-MAX, not '" + range + "'");
        }
    }
}
