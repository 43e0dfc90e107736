package io.parley.gateway.protocol;

import java.util.Optional;

/**
 * Text a client names things with (speaker names, glossary terms) that other people will read:
 * no control characters, no line or paragraph separators, no lone surrogates, and no invisible
 * format characters — among them the bidirectional overrides and isolates (U+202A-202E,
 * U+2066-2069) that make a name display as something else ("Trojan Source"). The zero-width
 * joiner and non-joiner stay allowed: scripts such as Persian and emoji sequences need them.
 */
public final class SafeText {

    private SafeText() {
    }

    /** What is wrong with {@code s} (as "{@code what} contains ..."), if anything. */
    public static Optional<String> problem(String what, String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            boolean bad = switch (type) {
                case Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
                case Character.FORMAT -> cp != 0x200C && cp != 0x200D;
                default -> cp == 0xFFFE || cp == 0xFFFF;
            };
            if (bad) {
                return Optional.of(what + " contains an invisible or control character (U+"
                        + String.format("%04X", cp) + "); names and terms must be plain printable text");
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }
}
