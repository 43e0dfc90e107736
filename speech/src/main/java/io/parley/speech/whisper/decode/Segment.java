package io.parley.speech.whisper.decode;

import java.util.List;

/**
 * A stretch of a window's text between two timestamps.
 *
 * @param start  seconds from the start of the audio
 * @param end    seconds from the start of the audio
 * @param tokens its text tokens (no timestamps)
 * @param text   decoded text
 * @param words  word timings, when asked for
 */
public record Segment(double start, double end, int[] tokens, String text, List<WordTiming> words) {

    public Segment withWords(List<WordTiming> w) {
        return new Segment(start, end, tokens, text, List.copyOf(w));
    }
}
