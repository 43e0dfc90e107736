package io.parley.speech.recognizer;

import java.util.List;

/**
 * A stretch of speech between two endpoints, or the part of it heard so far.
 *
 * @param index    0, 1, 2... within the session; a partial and its final share the index
 * @param text     the words, space-separated
 * @param language ISO 639-1 code of the text
 * @param start    seconds from the start of the stream
 * @param end      seconds from the start of the stream
 * @param words    per-word times and confidences, where the engine gives them; may be empty
 */
public record Utterance(int index, String text, String language, double start, double end,
                        List<RecognizedWord> words) {

    public Utterance {
        words = List.copyOf(words);
    }
}
