package io.parley.speech.whisper.decode;

/**
 * A word with its time in the audio and how sure the model was of it.
 *
 * @param word        as written, with its leading space if it had one
 * @param start       seconds
 * @param end         seconds
 * @param probability mean probability of its tokens when they were chosen
 */
public record WordTiming(String word, double start, double end, double probability) {
}
