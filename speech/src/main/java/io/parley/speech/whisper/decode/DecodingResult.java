package io.parley.speech.whisper.decode;

/**
 * What one window decoded to.
 *
 * @param tokens           generated tokens, timestamps included, end of text excluded
 * @param tokenLogProbs    the log-probability of each generated token when it was chosen
 * @param text             the text tokens decoded
 * @param language         the language the window was decoded in
 * @param avgLogProb       sum of log-probabilities over tokens + 1 (the end of text counts)
 * @param noSpeechProb     probability of {@code <|nospeech|>} at the start of transcript
 * @param compressionRatio text bytes over their zlib size: a text that repeats itself compresses well
 * @param temperature      the temperature of the attempt that was kept
 */
public record DecodingResult(int[] tokens, float[] tokenLogProbs, String text, String language, double avgLogProb,
                             double noSpeechProb, double compressionRatio, double temperature) {
}
