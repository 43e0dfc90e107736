package io.parley.gateway.config;

import java.time.Duration;

/**
 * WebRTC ingest (the WHIP endpoint).
 *
 * @param enabled          whether {@code POST /v1/rooms/{room}/whip} is served at all; off, it
 *                         answers 503 {@code webrtc_unavailable} and clients fall back to the
 *                         speaker WebSocket
 * @param minPort          lowest UDP/TCP port for media (0 with {@code maxPort} 0: any port),
 *                         so that a firewall can open a known range
 * @param maxPort          highest port for media
 * @param gatherTimeout    how long an answer waits for its ICE candidates before it is sent
 *                         (WHIP answers carry every candidate: this server does not trickle)
 * @param disconnectGrace  how long a peer may stay disconnected (a network blip) before its
 *                         stream is finished as if the client had sent DELETE
 * @param maxSessions      WebRTC sessions open at once in the whole server
 */
public record WebRtcConfig(boolean enabled, int minPort, int maxPort, Duration gatherTimeout,
                           Duration disconnectGrace, int maxSessions) {

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
        if (disconnectGrace == null || disconnectGrace.isNegative()) {
            throw new IllegalArgumentException("the disconnect grace period must not be negative");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("at least one WebRTC session must be allowed, not " + maxSessions);
        }
    }

    public static WebRtcConfig defaults() {
        return new WebRtcConfig(true, 0, 0, Duration.ofSeconds(2), Duration.ofSeconds(10), 64);
    }

    public WebRtcConfig withEnabled(boolean on) {
        return new WebRtcConfig(on, minPort, maxPort, gatherTimeout, disconnectGrace, maxSessions);
    }

    /** Parses {@code MIN-MAX}. */
    public WebRtcConfig withPorts(String range) {
        String[] parts = range.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--webrtc-ports takes MIN-MAX, e.g. 40000-40100, not '" + range + "'");
        }
        try {
            return new WebRtcConfig(enabled, Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                    gatherTimeout, disconnectGrace, maxSessions);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--webrtc-ports takes whole numbers MIN-MAX, not '" + range + "'");
        }
    }
}
