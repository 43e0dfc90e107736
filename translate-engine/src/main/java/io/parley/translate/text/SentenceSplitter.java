package io.parley.translate.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits text into sentences for translation: sentence models are trained on single sentences
 * and translate a run-on of three worse than each of the three, and a short sentence is
 * translated (and cached) on its own.
 *
 * <p>A sentence ends at {@code . ! ? …} (and their closing quotes or brackets) followed by a
 * space and a word that may start a sentence (a capital, a digit, an opening quote), unless the
 * word before the full stop is a known abbreviation or a single initial. Good enough for
 * captions, which rarely hold the constructions that defeat such rules.
 */
public final class SentenceSplitter {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e", "no", "vol", "fig",
            "sra", "dra", "srta", "av", "pág", "nº", "u.s", "u.k", "a.m", "p.m", "inc", "ltd", "co", "corp",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept");
    private static final String CLOSERS = "\"'”’»)]}";

    private SentenceSplitter() {
    }

    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '.' && c != '!' && c != '?' && c != '…' && c != '。' && c != '！' && c != '？') {
                continue;
            }
            int end = i + 1;
            while (end < n && (text.charAt(end) == '.' || text.charAt(end) == '!' || text.charAt(end) == '?'
                    || CLOSERS.indexOf(text.charAt(end)) >= 0)) {
                end++;
            }
            if (end >= n) {
                break;
            }
            if (!Character.isWhitespace(text.charAt(end))) {
                continue; // 3.14, U.S.A., e-mail.com
            }
            int next = end;
            while (next < n && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (next >= n || !mayStartSentence(text.charAt(next))) {
                continue;
            }
            if (c == '.' && isAbbreviation(text, i)) {
                continue;
            }
            add(out, text.substring(start, end));
            start = next;
            i = next - 1;
        }
        add(out, text.substring(start));
        return out;
    }

    private static boolean mayStartSentence(char c) {
        return Character.isUpperCase(c) || Character.isDigit(c) || Character.isTitleCase(c) || "\"'“‘«¿¡([".indexOf(c) >= 0
                || !Character.isLetter(c) && !Character.isWhitespace(c) && Character.isLetterOrDigit(c)
                || Character.isLetter(c) && !Character.isLowerCase(c); // scripts without case
    }

    /** The word before the full stop at {@code dot}: an abbreviation or an initial. */
    private static boolean isAbbreviation(String text, int dot) {
        int b = dot;
        while (b > 0 && !Character.isWhitespace(text.charAt(b - 1))) {
            b--;
        }
        String word = text.substring(b, dot).toLowerCase(java.util.Locale.ROOT);
        while (!word.isEmpty() && "\"'“‘«(".indexOf(word.charAt(0)) >= 0) {
            word = word.substring(1);
        }
        return (word.length() == 1 && Character.isLetter(word.charAt(0))) || ABBREVIATIONS.contains(word);
    }

    private static void add(List<String> out, String s) {
        String t = s.strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }
}
