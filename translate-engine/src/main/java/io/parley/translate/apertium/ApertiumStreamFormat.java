package io.parley.translate.apertium;

import io.parley.translate.api.Translation;

import java.util.ArrayList;
import java.util.List;

/**
 * Text in and out of Apertium's stream format.
 *
 * <p>In: every character that the stream format reserves ({@code ^ $ / < > [ ] { } \ @ * # ~})
 * is put inside a superblank, {@code [\c]}. Superblanks are formatting that every stage passes
 * through untouched and in place, so a user's brackets or carets can never form a lexical
 * unit, a tag or a command, and a user's {@code *} can never be mistaken for Apertium's
 * unknown-word mark on the way out. NUL, which ends a request in null-flush mode, and other
 * control characters become spaces. Every request ends in an empty superblank: the analysers
 * look ahead one character to know that a word has ended, and without a blank after it the
 * last word of a request would wait inside the pipeline for the next request.
 *
 * <p>Out: superblanks are unwrapped, escapes resolved, and the marks that Apertium puts on
 * words it could not translate ({@code *} unknown, {@code @} no bilingual entry, {@code #} no
 * inflection) are removed from the text and returned as flagged words.
 */
final class ApertiumStreamFormat {

    private static final String RESERVED = "^$/<>[]{}\\@*#~";

    private ApertiumStreamFormat() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (RESERVED.indexOf(c) >= 0) {
                out.append("[\\").append(c).append(']');
            } else if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (Character.isISOControl(c)) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.append("[]").toString();
    }

    static Translation parse(String output) {
        StringBuilder text = new StringBuilder(output.length());
        List<String> flagged = new ArrayList<>();
        int i = 0;
        int n = output.length();
        while (i < n) {
            char c = output.charAt(i);
            if (c == '\\' && i + 2 < n && isMark(output.charAt(i + 1)) && isWordChar(output.charAt(i + 2))) {
                // Apertium sometimes escapes its own mark; the user's own marks only ever come
                // back inside superblanks, where escape() put them.
                i = flag(output, i + 1, text, flagged);
            } else if (c == '\\' && i + 1 < n) {
                text.append(output.charAt(i + 1));
                i += 2;
            } else if (c == '[') {
                // Superblank: copy its content literally, resolving escapes.
                i++;
                while (i < n && output.charAt(i) != ']') {
                    if (output.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    text.append(output.charAt(i));
                    i++;
                }
                i++; // the closing bracket
            } else if (isMark(c) && i + 1 < n && isWordChar(output.charAt(i + 1))) {
                // Outside superblanks every mark is Apertium's (the user's are escaped in them),
                // even one glued to the word before ("48años*Auckland"): that one gets its space back.
                i = flag(output, i, text, flagged);
            } else {
                text.append(c);
                i++;
            }
        }
        return new Translation(text.toString().strip(), flagged);
    }

    private static boolean isMark(char c) {
        return c == '*' || c == '@' || c == '#';
    }

    /** Takes the marked word starting after the mark at {@code mark}; returns where parsing goes on. */
    private static int flag(String output, int mark, StringBuilder text, List<String> flagged) {
        int end = mark + 1;
        while (end < output.length() && (isWordChar(output.charAt(end)) || isInnerPunctuation(output, end))) {
            end++;
        }
        String word = output.substring(mark + 1, end);
        if (!text.isEmpty() && isWordChar(text.charAt(text.length() - 1))) {
            text.append(' ');
        }
        flagged.add(word);
        text.append(word);
        return end;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }

    /** An apostrophe or hyphen between two word characters belongs to the word ("l'eau", "e-mail"). */
    private static boolean isInnerPunctuation(String s, int i) {
        char c = s.charAt(i);
        return (c == '\'' || c == '’' || c == '-') && i + 1 < s.length() && isWordChar(s.charAt(i + 1));
    }
}
