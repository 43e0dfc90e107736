package io.parley.speech.whisper.stream;

import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.whisper.decode.WordTiming;

import java.util.Locale;

/**
 * A word of a hypothesis on the stream's time line.
 *
 * @param text        as decoded, with its leading space if it had one (so that words concatenate into text)
 * @param start       seconds from the start of the stream
 * @param end         seconds from the start of the stream
 * @param probability how sure the model was
 */
record TimedWord(String text, double start, double end, double probability) {

    static TimedWord of(WordTiming w) {
        return new TimedWord(w.word(), w.start(), w.end(), w.probability());
    }

    /** The word compared across hypotheses: case and punctuation do not count. */
    String key() {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']", "");
    }

    RecognizedWord recognized() {
        return new RecognizedWord(text.strip(), start, end, probability);
    }
}
