package io.parley.translate.api;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;

/**
 * Language codes as Parley speaks them: ISO 639-1 where the language has one ({@code es}),
 * else ISO 639-3 ({@code arg}). Engines name languages differently (Apertium uses ISO 639-3
 * in new pairs and 639-1 in old ones), and everything is brought to this one form.
 */
public final class LanguageCodes {

    private static final Map<String, String> THREE_TO_TWO = new HashMap<>();

    static {
        for (String two : Locale.getISOLanguages()) {
            try {
                String three = Locale.of(two).getISO3Language();
                if (!three.isEmpty()) {
                    THREE_TO_TWO.putIfAbsent(three, two);
                }
            } catch (MissingResourceException ignored) {
                // a code without a three-letter form keeps its two letters
            }
        }
    }

    private LanguageCodes() {
    }

    /** The canonical code of {@code code}, or empty if it is not a language code at all. */
    public static Optional<String> canonical(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.toLowerCase(Locale.ROOT);
        if (!c.matches("[a-z]{2,3}")) {
            return Optional.empty();
        }
        return Optional.of(c.length() == 3 ? THREE_TO_TWO.getOrDefault(c, c) : c);
    }

    /** An English name for the language, e.g. "Spanish"; the code itself if Java knows no name. */
    public static String englishName(String code) {
        String name = Locale.of(code).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() || name.equalsIgnoreCase(code) ? code : name;
    }
}
