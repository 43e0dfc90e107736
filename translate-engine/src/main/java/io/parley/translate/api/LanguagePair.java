package io.parley.translate.api;

import java.util.Objects;

/**
 * A translation direction between two languages, as ISO 639-1 codes where one exists
 * ({@code en}, {@code es}), else ISO 639-3.
 */
public record LanguagePair(String source, String target) {

    public LanguagePair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        if (source.equals(target)) {
            throw new IllegalArgumentException("a translation pair needs two different languages, not " + source + "-" + target);
        }
    }

    public static LanguagePair of(String source, String target) {
        return new LanguagePair(source, target);
    }

    @Override
    public String toString() {
        return source + "-" + target;
    }
}
