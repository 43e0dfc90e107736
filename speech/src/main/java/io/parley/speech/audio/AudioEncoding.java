package io.parley.speech.audio;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a speaker's binary frames carry audio. */
public enum AudioEncoding {
    /** Interleaved signed 16-bit little-endian PCM; a frame holds any whole number of sample frames. */
    PCM_S16LE("pcm_s16le"),
    /** One Opus packet per binary frame (RFC 6716), as WebRTC and WebCodecs produce them. */
    OPUS("opus");

    private final String wireName;

    AudioEncoding(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the speaker's start message. */
    public String wireName() {
        return wireName;
    }

    public static Optional<AudioEncoding> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.wireName.equals(wanted)).findFirst();
    }
}
