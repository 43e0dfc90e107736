package io.parley.gateway.files;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Containers told by their first bytes, whatever a file is called. */
class MediaKindTest {

    static byte[] bytes(String ascii, int... extra) {
        byte[] a = ascii.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(a, Math.max(16, a.length + extra.length));
        for (int i = 0; i < extra.length; i++) {
            out[a.length + i] = (byte) extra[i];
        }
        return out;
    }

    @Test
    void everySupportedContainerIsRecognised() {
        assertEquals(Optional.of(MediaKind.WAV), MediaKind.sniff(bytes("RIFF\u0000\u0000\u0000\u0000WAVEfmt ")));
        assertEquals(Optional.of(MediaKind.FLAC), MediaKind.sniff(bytes("fLaC")));
        assertEquals(Optional.of(MediaKind.OGG), MediaKind.sniff(bytes("OggS")));
        assertEquals(Optional.of(MediaKind.WEBM), MediaKind.sniff(bytes("", 0x1A, 0x45, 0xDF, 0xA3)));
        assertEquals(Optional.of(MediaKind.MP4), MediaKind.sniff(bytes("\u0000\u0000\u0000\u0020ftypM4A ")));
        assertEquals(Optional.of(MediaKind.MP3), MediaKind.sniff(bytes("ID3\u0004")));
        assertEquals(Optional.of(MediaKind.MP3), MediaKind.sniff(bytes("", 0xFF, 0xFB, 0x90, 0x64)));
    }

    @Test
    void anythingElseIsNot() {
        assertEquals(Optional.empty(), MediaKind.sniff(bytes("minutes of the meeting")));
        assertEquals(Optional.empty(), MediaKind.sniff(bytes("RIFF\u0000\u0000\u0000\u0000AVI LIST")));
        assertEquals(Optional.empty(), MediaKind.sniff(bytes("", 0x89, 'P', 'N', 'G')));
        assertEquals(Optional.empty(), MediaKind.sniff(new byte[0]));
        assertEquals(Optional.empty(), MediaKind.sniff(bytes("", 0xFF, 0xD8, 0xFF))); // JPEG
    }
}
