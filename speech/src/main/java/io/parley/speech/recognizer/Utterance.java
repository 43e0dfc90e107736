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
 * @param stableWords of a partial, how many leading words the engine will not change any more
 *                 (all of them in a final); 0 when the engine cannot tell
 * @param english  of a final in another language, the same speech translated into English by the
 *                 recognizer itself, where the session asked for it
 *                 ({@link SessionOptions#englishFromSpeech()}); null otherwise
 */
public record Utterance(int index, String text, String language, double start, double end,
                        List<RecognizedWord> words, int stableWords, String english) {

    public Utterance {
        words = List.copyOf(words);
        if (stableWords < 0) {
            throw new IllegalArgumentException("stableWords must not be negative: " + stableWords);
        }
    }

    public Utterance(int index, String text, String language, double start, double end,
                     List<RecognizedWord> words, int stableWords) {
        this(index, text, language, start, end, words, stableWords, null);
    }

    /** This utterance with the recognizer's English translation of it. */
    public Utterance withEnglish(String translation) {
        return new Utterance(index, text, language, start, end, words, stableWords, translation);
    }

    /** An utterance of which the engine cannot say which words are settled. */
    public Utterance(int index, String text, String language, double start, double end, List<RecognizedWord> words) {
        this(index, text, language, start, end, words, 0);
    }
}
