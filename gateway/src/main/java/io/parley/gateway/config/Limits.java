package io.parley.gateway.config;

import java.time.Duration;

/**
 * What one client may send and how long it may stay silent, validated at start-up. Anything
 * beyond a limit gets an error with a stable code; nothing already accepted is dropped because
 * of it. Each can be set with {@code --limit NAME=VALUE} or in the config file.
 *
 * @param maxAudioFrameBytes      largest binary frame a speaker may send (about 2 s of 16 kHz PCM by default)
 * @param maxTextFrameBytes       largest control message
 * @param maxWebSocketFrameBytes  beyond this the connection itself is closed (1009) without reading the frame
 * @param maxMessagesPerSecond    frames a client may send per second, over a one-second window
 * @param audioBurstSeconds       audio a speaker may send ahead of real time before it is refused
 * @param viewerSoftQueueBytes    beyond this many unsent bytes a viewer's partials are skipped
 * @param viewerHardQueueBytes    beyond this a viewer is disconnected ({@code slow_viewer}) and may
 *                                reconnect with {@code since} to get every final it missed
 * @param speakerIdleTimeout      a speaker that sends nothing (not even keepalive) for this long is closed
 * @param viewerPingInterval      the server pings each viewer this often (browsers answer by themselves)
 * @param viewerIdleTimeout       a viewer that answers nothing (no pong, no message) for this long is closed
 * @param socketSendBufferBytes   the kernel's send buffer per connection (SO_SNDBUF); 0 leaves it to the
 *                                operating system. What sits there is invisible to the viewer backlog
 *                                limits, so a small buffer makes a stalled viewer show sooner.
 */
public record Limits(int maxAudioFrameBytes, int maxTextFrameBytes, int maxWebSocketFrameBytes,
                     int maxMessagesPerSecond, double audioBurstSeconds,
                     long viewerSoftQueueBytes, long viewerHardQueueBytes,
                     Duration speakerIdleTimeout, Duration viewerPingInterval, Duration viewerIdleTimeout,
                     int socketSendBufferBytes) {

    public static Limits defaults() {
        return new Limits(64 * 1024, 8 * 1024, 1024 * 1024, 200, 10.0,
                64 * 1024, 1024 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(60), 0);
    }

    public Limits {
        Check.atLeast("maxAudioFrameBytes", maxAudioFrameBytes, 1024);
        Check.atLeast("maxTextFrameBytes", maxTextFrameBytes, 256);
        if (maxWebSocketFrameBytes < Math.max(maxAudioFrameBytes, maxTextFrameBytes)) {
            throw new IllegalArgumentException("limits: maxWebSocketFrameBytes (" + maxWebSocketFrameBytes
                    + ") must be at least maxAudioFrameBytes and maxTextFrameBytes, so that an oversized frame"
                    + " can be answered with an error instead of a dropped connection");
        }
        Check.atMost("maxWebSocketFrameBytes", maxWebSocketFrameBytes, 64L * 1024 * 1024);
        Check.atLeast("maxMessagesPerSecond", maxMessagesPerSecond, 1);
        if (!(audioBurstSeconds >= 1 && audioBurstSeconds <= 600)) {
            throw new IllegalArgumentException("limits: audioBurstSeconds must be between 1 and 600, not " + audioBurstSeconds);
        }
        Check.atLeast("viewerSoftQueueBytes", viewerSoftQueueBytes, 1);
        if (viewerHardQueueBytes <= viewerSoftQueueBytes) {
            throw new IllegalArgumentException("limits: viewerHardQueueBytes (" + viewerHardQueueBytes
                    + ") must be above viewerSoftQueueBytes (" + viewerSoftQueueBytes + ")");
        }
        Check.between("speakerIdleTimeout", speakerIdleTimeout, Duration.ofSeconds(5), Duration.ofDays(1));
        Check.between("viewerPingInterval", viewerPingInterval, Duration.ofSeconds(1), Duration.ofHours(1));
        Check.between("viewerIdleTimeout", viewerIdleTimeout, viewerPingInterval.multipliedBy(2), Duration.ofDays(1));
        if (socketSendBufferBytes < 0) {
            throw new IllegalArgumentException("limits: socketSendBufferBytes must be 0 (system default) or positive");
        }
    }

    public Limits withViewerQueues(long soft, long hard, int sendBuffer) {
        return new Limits(maxAudioFrameBytes, maxTextFrameBytes, maxWebSocketFrameBytes, maxMessagesPerSecond,
                audioBurstSeconds, soft, hard, speakerIdleTimeout, viewerPingInterval, viewerIdleTimeout, sendBuffer);
    }
}
