package io.parley.translate.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python's {@code str.split()} and {@code str.isspace()} see it.
 *
 * <p>sacreBLEU splits tokens (BLEU) and deletes spaces (chrF) with Python's argument-less
 * {@code split()}, so a score only agrees with it if "whitespace" means the same code points.
 * Neither of Java's predicates does: {@link Character#isWhitespace} leaves out the no-break
 * spaces (U+00A0, U+2007, U+202F) and U+0085, {@link Character#isSpaceChar} leaves out tab, newline
 * and the other C0 separators. Python's rule is "bidirectional class WS, B or S, or general
 * category Zs"; the set it yields has been stable since Unicode 6.3 and is spelled out here so
 * that the JDK's Unicode tables cannot move it. (U+200B ZERO WIDTH SPACE and U+FEFF are not in
 * it.) The fixture test checks it against Python, code point by code point.
 */
public final class PythonWhitespace {

    private PythonWhitespace() {
    }

    public static boolean isWhitespace(int codePoint) {
        return switch (codePoint) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D,          // tab, LF, VT, FF, CR
                 0x1C, 0x1D, 0x1E, 0x1F,                // file/group/record/unit separators
                 0x20, 0x85, 0xA0, 0x1680,              // space, NEL, no-break space, ogham mark
                 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> codePoint >= 0x2000 && codePoint <= 0x200A; // en quad .. hair space
        };
    }

    /** {@code s.split()}: the maximal runs of non-whitespace, in order; never an empty string. */
    public static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isWhitespace(cp)) {
                if (start >= 0) {
                    parts.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            parts.add(s.substring(start));
        }
        return parts;
    }

    /** {@code "".join(s.split())}: the string with every whitespace code point removed. */
    public static String removeAll(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !isWhitespace(cp)).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** {@code s.rstrip()}: the string without its trailing whitespace. */
    public static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isWhitespace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }
}
