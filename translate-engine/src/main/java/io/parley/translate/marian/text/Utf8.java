package io.parley.translate.marian.text;

/**
 * UTF-8 the way SentencePiece walks it, which is not quite the way {@link java.nio.charset}
 * does: the segmenter steps by the length its lead byte announces (a stray continuation byte
 * counts as one), and a malformed sequence is replaced one byte at a time, each by U+FFFD. Using
 * the JDK decoder instead would merge a malformed run into one replacement and shift positions.
 */
final class Utf8 {

    static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private Utf8() {
    }

    /** The byte length the lead byte announces (1 for ASCII and for stray continuation bytes). */
    static int charLength(byte lead) {
        int b = lead & 0xFF;
        if (b < 0xC0) {
            return 1;
        }
        if (b < 0xE0) {
            return 2;
        }
        return b < 0xF0 ? 3 : 4;
    }

    /**
     * The length of the well-formed character at {@code pos} (shortest form, no surrogates, at
     * most U+10FFFF), or 0 when the bytes there are malformed and one byte must be replaced.
     */
    static int validLength(byte[] s, int pos, int end) {
        int b0 = s[pos] & 0xFF;
        int len = end - pos;
        if (b0 < 0x80) {
            return 1;
        }
        if (len >= 2 && (b0 & 0xE0) == 0xC0) {
            int cp = (b0 & 0x1F) << 6 | (s[pos + 1] & 0x3F);
            return trail(s[pos + 1]) && cp >= 0x80 ? 2 : 0;
        }
        if (len >= 3 && (b0 & 0xF0) == 0xE0) {
            int cp = (b0 & 0x0F) << 12 | (s[pos + 1] & 0x3F) << 6 | (s[pos + 2] & 0x3F);
            return trail(s[pos + 1]) && trail(s[pos + 2]) && cp >= 0x800 && valid(cp) ? 3 : 0;
        }
        if (len >= 4 && (b0 & 0xF8) == 0xF0) {
            int cp = (b0 & 0x07) << 18 | (s[pos + 1] & 0x3F) << 12 | (s[pos + 2] & 0x3F) << 6 | (s[pos + 3] & 0x3F);
            return trail(s[pos + 1]) && trail(s[pos + 2]) && trail(s[pos + 3]) && cp >= 0x10000 && valid(cp) ? 4 : 0;
        }
        return 0;
    }

    private static boolean trail(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static boolean valid(int cp) {
        return cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
    }
}
