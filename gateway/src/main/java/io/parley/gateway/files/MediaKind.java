package io.parley.gateway.files;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The container of an uploaded file, told by its first bytes rather than by its name or the
 * Content-Type a client claims: both are often wrong (an {@code .ogg} named {@code .wav},
 * {@code application/octet-stream} for everything), and neither is proof.
 */
public enum MediaKind {
    WAV("WAV"),
    FLAC("FLAC"),
    MP3("MP3"),
    OGG("Ogg"),
    WEBM("WebM/Matroska"),
    MP4("MP4/M4A");

    /** Bytes enough to tell every kind apart. */
    public static final int SNIFF_BYTES = 16;

    private final String label;

    MediaKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind these first bytes announce; empty for anything that is not one of the supported containers. */
    public static Optional<MediaKind> sniff(byte[] head) {
        if (starts(head, 0, "RIFF") && starts(head, 8, "WAVE")) {
            return Optional.of(WAV);
        }
        if (starts(head, 0, "fLaC")) {
            return Optional.of(FLAC);
        }
        if (starts(head, 0, "OggS")) {
            return Optional.of(OGG);
        }
        if (head.length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF
                && (head[3] & 0xFF) == 0xA3) {
            return Optional.of(WEBM);
        }
        if (starts(head, 4, "ftyp")) {
            return Optional.of(MP4);
        }
        // MP3: an ID3v2 tag, or straight into an MPEG audio frame (11 sync bits, layer III).
        if (starts(head, 0, "ID3")) {
            return Optional.of(MP3);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) == 0x02) {
            return Optional.of(MP3);
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] head, int at, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        return head.length >= at + m.length && Arrays.equals(head, at, at + m.length, m, 0, m.length);
    }
}
