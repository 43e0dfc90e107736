package io.parley.speech.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Brings a reference and a hypothesis to one written form before they are compared, so that
 * a word error rate counts recognition errors rather than differences of style: case,
 * punctuation, hyphenation, common abbreviations, and numbers written as numerals or as
 * words ("twenty five" and "25", "one zero zero" and "100", "nine oh two" and "902") all
 * compare equal, digit by digit.
 */
public final class TranscriptNormalizer {

    private static final Map<String, Integer> UNITS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9));
    private static final Map<String, Integer> TEENS = Map.ofEntries(
            Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13),
            Map.entry("fourteen", 14), Map.entry("fifteen", 15), Map.entry("sixteen", 16),
            Map.entry("seventeen", 17), Map.entry("eighteen", 18), Map.entry("nineteen", 19));
    private static final Map<String, Integer> TENS = Map.of(
            "twenty", 20, "thirty", 30, "forty", 40, "fifty", 50,
            "sixty", 60, "seventy", 70, "eighty", 80, "ninety", 90);
    private static final Map<String, Long> SCALES = Map.of(
            "thousand", 1_000L, "million", 1_000_000L, "billion", 1_000_000_000L);
    private static final Map<String, String> ABBREVIATIONS = Map.of(
            "mr", "mister", "mrs", "missus", "dr", "doctor", "st", "saint");

    private TranscriptNormalizer() {
    }

    /** The normalised words of {@code text}. */
    public static List<String> words(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replace('’', '\'')
                .replaceAll("(?<=\\d),(?=\\d{3})", "")   // 1,000 -> 1000
                .replaceAll("[^\\p{L}\\p{N}']+", " ")       // punctuation and hyphens separate words
                .replaceAll("(^|\\s)'+|'+(?=\\s|$)", " ");  // quotes, but not apostrophes inside words
        List<String> tokens = new ArrayList<>();
        for (String t : folded.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                tokens.add(ABBREVIATIONS.getOrDefault(t, t));
            }
        }
        return spokenNumbersToDigits(tokens);
    }

    /** The normalised text, words joined by single spaces. */
    public static String normalize(String text) {
        return String.join(" ", words(text));
    }

    private static List<String> spokenNumbersToDigits(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        int i = 0;
        while (i < tokens.size()) {
            int digitRun = digitRunLength(tokens, i);
            if (digitRun >= 2) {
                // "one zero zero zero one", "nine oh two": a number read digit by digit.
                StringBuilder digits = new StringBuilder();
                for (int k = 0; k < digitRun; k++) {
                    digits.append(digitValue(tokens.get(i + k)));
                }
                addDigits(digits.toString(), out);
                i += digitRun;
                continue;
            }
            int consumed = parseCardinal(tokens, i, out);
            if (consumed > 0) {
                i += consumed;
            } else {
                out.add(tokens.get(i++));
            }
        }
        return out;
    }

    /** Length of a run of single-digit words starting at {@code from}; "oh" counts inside a run. */
    private static int digitRunLength(List<String> tokens, int from) {
        int n = 0;
        while (from + n < tokens.size()) {
            String t = tokens.get(from + n);
            boolean digit = UNITS.containsKey(t) || (t.equals("oh") && n > 0);
            if (!digit) {
                break;
            }
            n++;
        }
        // A trailing "oh" only counts if the run continues past it, which the loop already ensured
        // for inner ones; a run that is really "twenty one" style never starts with a unit followed by tens.
        return n;
    }

    private static int digitValue(String t) {
        return t.equals("oh") ? 0 : UNITS.get(t);
    }

    /**
     * Parses a spoken cardinal ("three hundred and five thousand twelve") at {@code from};
     * appends its digits to {@code out} and returns the words consumed, or 0 if none.
     */
    private static int parseCardinal(List<String> tokens, int from, List<String> out) {
        long total = 0;
        long current = 0;
        boolean any = false;
        int i = from;
        int lastNumberWordEnd = from;
        while (i < tokens.size()) {
            String t = tokens.get(i);
            if (UNITS.containsKey(t)) {
                current += UNITS.get(t);
            } else if (TEENS.containsKey(t)) {
                current += TEENS.get(t);
            } else if (TENS.containsKey(t)) {
                current += TENS.get(t);
            } else if (t.equals("hundred") && any) {
                current = Math.max(current, 1) * 100;
            } else if (SCALES.containsKey(t) && any) {
                total += Math.max(current, 1) * SCALES.get(t);
                current = 0;
            } else if (t.equals("and") && any && i + 1 < tokens.size() && isSmallNumberWord(tokens.get(i + 1))) {
                i++;
                continue;
            } else if (t.matches("\\d+")) {
                if (any) {
                    break;
                }
                addDigits(t, out);
                return 1;
            } else {
                break;
            }
            any = true;
            i++;
            lastNumberWordEnd = i;
        }
        if (!any) {
            return 0;
        }
        addDigits(Long.toString(total + current), out);
        return lastNumberWordEnd - from;
    }

    /**
     * A number becomes one token per digit, so that "10001", "ten thousand and one" and "one
     * zero zero zero one" compare equal and a single wrong digit counts as one error, not as a
     * whole wrong number.
     */
    private static void addDigits(String digits, List<String> out) {
        for (int k = 0; k < digits.length(); k++) {
            out.add(String.valueOf(digits.charAt(k)));
        }
    }

    private static boolean isSmallNumberWord(String t) {
        return UNITS.containsKey(t) || TEENS.containsKey(t) || TENS.containsKey(t);
    }
}
