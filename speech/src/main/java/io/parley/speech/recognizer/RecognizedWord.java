package io.parley.speech.recognizer;

/**
 * One recognised word.
 *
 * @param word       its written form
 * @param start      seconds from the start of the stream
 * @param end        seconds from the start of the stream
 * @param confidence posterior probability in [0, 1]
 */
public record RecognizedWord(String word, double start, double end, double confidence) {
}
