package io.parley.gateway.config;

import java.time.Duration;

/**
 * What one client may do, validated at start-up. Anything beyond a limit gets an error with a
 * stable code; nothing already accepted is dropped because of it.
 *
 * @param maxAudioFrameBytes      largest binary frame a speaker may send (about 2 s of 16 kHz PCM by default)
 * @param maxTextFrameBytes       largest control message
 * @param maxWebSocketFrameBytes  beyond this the connection itself is closed (1009) without reading the frame
 * @param maxMessagesPerSecond    frames a speaker may send per second, over a one-second window
 * @param audioBurstSeconds       audio a speaker may send ahead of real time before it is refused
 * @param viewerSoftQueueBytes    beyond this many unsent bytes a viewer's partials are skipped
 * @param viewerHardQueueBytes    beyond this a viewer is disconnected ({@code slow_viewer}) and may
 *                                reconnect with {@code since} to get every final it missed
 * @param maxRooms                rooms open at once
 * @param maxViewersPerRoom       viewers per room
 * @param maxSpeakersPerRoom      speakers per room
 * @param roomIdleTimeout         a room with nobody connected is closed after this
 * @param speakerIdleTimeout      a speaker that sends nothing (not even keepalive) for this long is closed
 * @param socketSendBufferBytes   the kernel's send buffer per connection (SO_SNDBUF); 0 leaves it to the
 *                                operating system. What sits there is invisible to the viewer backlog
 *                                limits, so a small buffer makes a stalled viewer show sooner.
 */
public record Limits(int maxAudioFrameBytes, int maxTextFrameBytes, int maxWebSocketFrameBytes,
                     int maxMessagesPerSecond, double audioBurstSeconds,
                     long viewerSoftQueueBytes, long viewerHardQueueBytes,
                     int maxRooms, int maxViewersPerRoom, int maxSpeakersPerRoom,
                     Duration roomIdleTimeout, Duration speakerIdleTimeout, int socketSendBufferBytes) {

    public static Limits defaults() {
        return new Limits(64 * 1024, 8 * 1024, 1024 * 1024, 200, 10.0,
                64 * 1024, 1024 * 1024, 1000, 500, 8,
                Duration.ofHours(12), Duration.ofSeconds(60), 0);
    }

    public Limits {
        positive("maxAudioFrameBytes", maxAudioFrameBytes);
        positive("maxTextFrameBytes", maxTextFrameBytes);
        if (maxWebSocketFrameBytes < Math.max(maxAudioFrameBytes, maxTextFrameBytes)) {
            throw new IllegalArgumentException("limits: maxWebSocketFrameBytes (" + maxWebSocketFrameBytes
                    + ") must be at least maxAudioFrameBytes and maxTextFrameBytes, so that an oversized frame"
                    + " can be answered with an error instead of a dropped connection");
        }
        positive("maxMessagesPerSecond", maxMessagesPerSecond);
        if (!(audioBurstSeconds >= 1)) {
            throw new IllegalArgumentException("limits: audioBurstSeconds must be at least 1, not " + audioBurstSeconds);
        }
        positive("viewerSoftQueueBytes", viewerSoftQueueBytes);
        if (viewerHardQueueBytes <= viewerSoftQueueBytes) {
            throw new IllegalArgumentException("limits: viewerHardQueueBytes (" + viewerHardQueueBytes
                    + ") must be above viewerSoftQueueBytes (" + viewerSoftQueueBytes + ")");
        }
        positive("maxRooms", maxRooms);
        positive("maxViewersPerRoom", maxViewersPerRoom);
        positive("maxSpeakersPerRoom", maxSpeakersPerRoom);
        if (roomIdleTimeout == null || roomIdleTimeout.isNegative() || roomIdleTimeout.isZero()) {
            throw new IllegalArgumentException("limits: roomIdleTimeout must be positive");
        }
        if (speakerIdleTimeout == null || speakerIdleTimeout.toSeconds() < 5) {
            throw new IllegalArgumentException("limits: speakerIdleTimeout must be at least 5 seconds");
        }
        if (socketSendBufferBytes < 0) {
            throw new IllegalArgumentException("limits: socketSendBufferBytes must be 0 (system default) or positive");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("limits: " + name + " must be positive, not " + value);
        }
    }

    public Limits withViewerQueues(long soft, long hard, int sendBuffer) {
        return new Limits(maxAudioFrameBytes, maxTextFrameBytes, maxWebSocketFrameBytes, maxMessagesPerSecond,
                audioBurstSeconds, soft, hard, maxRooms, maxViewersPerRoom, maxSpeakersPerRoom,
                roomIdleTimeout, speakerIdleTimeout, sendBuffer);
    }
}
