package io.parley.translate.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Glossary terms kept away from a translation engine: each occurrence in the source is replaced
 * by a placeholder that both engines pass through unchanged (a code like {@code ZX1001}: the
 * neural models copy such codes, Apertium leaves unknown words as they are), and after
 * translation each placeholder is replaced by the term's translation for the target.
 *
 * @param masked       the text the engine sees
 * @param placeholders the placeholders in order of appearance
 * @param replacements what each placeholder becomes in the target language
 */
public record ProtectedSpans(String masked, List<String> placeholders, List<String> replacements) {

    private static final Pattern WORD_EDGE = Pattern.compile("[\\p{L}\\p{N}]");

    /** Masks every glossary term of {@code text} (whole words, any case) for translation into {@code target}. */
    public static ProtectedSpans mask(String text, Glossary glossary, String target) {
        if (glossary.isEmpty()) {
            return new ProtectedSpans(text, List.of(), List.of());
        }
        String prefix = placeholderPrefix(text);
        List<String> placeholders = new ArrayList<>();
        List<String> replacements = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        boolean[] taken = new boolean[text.length()];
        record Hit(int start, int end, Glossary.Entry entry) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Glossary.Entry e : glossary.entries()) { // longest first: "Acme Cloud" before "Acme"
            String term = e.term().toLowerCase(Locale.ROOT);
            for (int from = lower.indexOf(term); from >= 0; from = lower.indexOf(term, from + 1)) {
                int end = from + term.length();
                if (!wholeWord(text, from, end) || anyTaken(taken, from, end)) {
                    continue;
                }
                for (int i = from; i < end; i++) {
                    taken[i] = true;
                }
                hits.add(new Hit(from, end, e));
            }
        }
        if (hits.isEmpty()) {
            return new ProtectedSpans(text, List.of(), List.of());
        }
        hits.sort(java.util.Comparator.comparingInt(Hit::start));
        StringBuilder masked = new StringBuilder();
        int at = 0;
        for (Hit h : hits) {
            String placeholder = prefix + (1001 + placeholders.size());
            masked.append(text, at, h.start()).append(placeholder);
            placeholders.add(placeholder);
            // A do-not-translate term keeps the form it was written in.
            replacements.add(h.entry().translations().containsKey(target) ? h.entry().in(target)
                    : text.substring(h.start(), h.end()));
            at = h.end();
        }
        masked.append(text.substring(at));
        return new ProtectedSpans(masked.toString(), List.copyOf(placeholders), List.copyOf(replacements));
    }

    /** Puts the terms back into an engine's output. */
    public String unmask(String translated) {
        String out = translated;
        for (int i = 0; i < placeholders.size(); i++) {
            Matcher m = Pattern.compile(Pattern.quote(placeholders.get(i)), Pattern.CASE_INSENSITIVE).matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement(replacements.get(i)));
            } else {
                // The engine dropped the placeholder: the term is still owed to the reader.
                out = out.isEmpty() ? replacements.get(i) : out + " " + replacements.get(i);
            }
        }
        return out;
    }

    /** Whether a word flagged by the engine is one of the placeholders (which are not unknown words). */
    public boolean isPlaceholder(String word) {
        return placeholders.stream().anyMatch(p -> p.equalsIgnoreCase(word));
    }

    public boolean isEmpty() {
        return placeholders.isEmpty();
    }

    private static boolean wholeWord(String text, int start, int end) {
        boolean before = start > 0 && WORD_EDGE.matcher(text.substring(start - 1, start)).matches();
        boolean after = end < text.length() && WORD_EDGE.matcher(text.substring(end, end + 1)).matches();
        return !before && !after;
    }

    private static boolean anyTaken(boolean[] taken, int from, int end) {
        for (int i = from; i < end; i++) {
            if (taken[i]) {
                return true;
            }
        }
        return false;
    }

    /** A letter prefix that does not occur in the text, so that placeholders cannot collide with it. */
    private static String placeholderPrefix(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        for (String p : List.of("ZX", "QX", "XZ", "ZQ", "QZ")) {
            if (!upper.contains(p)) {
                return p;
            }
        }
        return "ZXQ";
    }
}
