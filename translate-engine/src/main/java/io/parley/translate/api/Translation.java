package io.parley.translate.api;

import java.util.List;

/**
 * The translation of one text.
 *
 * @param text         the translated text, free of any engine markup
 * @param flaggedWords words the engine could not translate with confidence (unknown to its
 *                     dictionaries, or not inflected), as they appear in {@code text}, in order
 */
public record Translation(String text, List<String> flaggedWords) {

    public Translation {
        flaggedWords = List.copyOf(flaggedWords);
    }
}
