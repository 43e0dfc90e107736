package io.parley.speech.sphinx;

/**
 * Tuning of the Sphinx4 engine, validated at start-up.
 *
 * @param absoluteBeamWidth     most HMM states kept per frame
 * @param relativeBeamWidth     states scoring below best times this are pruned
 * @param absoluteWordBeamWidth most word-final states kept per frame
 * @param relativeWordBeamWidth relative beam for word-final states
 * @param languageWeight        weight of the language model against the acoustic model
 * @param endSilenceMs          silence that ends an utterance (the endpoint)
 * @param partialIntervalMs     how often a partial result is reported while speech goes on
 * @param maxSessions           concurrent streams; each holds its own loaded decoder
 * @param preloadedDecoders     decoders loaded at start, so the first streams start at once
 * @param maxBacklogSeconds     audio a session may hold unrecognised before it refuses more
 */
public record SphinxConfig(int absoluteBeamWidth, double relativeBeamWidth,
                           int absoluteWordBeamWidth, double relativeWordBeamWidth,
                           double languageWeight, int endSilenceMs, int partialIntervalMs,
                           int maxSessions, int preloadedDecoders, double maxBacklogSeconds) {

    /**
     * Chosen by {@code ./parley bench sphinx} (bench/results/sphinx.json), one stream on one
     * pinned core: Sphinx4's own beams (20000 states, word beam 200) take 1.85 s per second of
     * audio; 4000 states and a word beam of 30 take 0.32 s with the same relative beams, and
     * lose two words of 71 on the LibriVox clips (WER 0.282 against 0.254); 8000 states take
     * 0.56 s for no gain there, and narrower beams lose more (3000: 0.324, 2000: 0.352).
     */
    public static SphinxConfig defaults() {
        return new SphinxConfig(4000, 1e-60, 30, 1e-40, 8.0, 500, 250, 4, 1, 30.0);
    }

    public SphinxConfig {
        require(absoluteBeamWidth >= 100, "absoluteBeamWidth must be at least 100, not " + absoluteBeamWidth);
        require(relativeBeamWidth > 0 && relativeBeamWidth < 1,
                "relativeBeamWidth must be in (0, 1), e.g. 1e-50, not " + relativeBeamWidth);
        require(absoluteWordBeamWidth >= 1, "absoluteWordBeamWidth must be at least 1, not " + absoluteWordBeamWidth);
        require(relativeWordBeamWidth > 0 && relativeWordBeamWidth < 1,
                "relativeWordBeamWidth must be in (0, 1), e.g. 1e-30, not " + relativeWordBeamWidth);
        require(languageWeight > 0 && languageWeight <= 30, "languageWeight must be in (0, 30], not " + languageWeight);
        require(endSilenceMs >= 100 && endSilenceMs <= 5000,
                "endSilenceMs must be between 100 and 5000 ms, not " + endSilenceMs);
        require(partialIntervalMs >= 50 && partialIntervalMs <= 5000,
                "partialIntervalMs must be between 50 and 5000 ms, not " + partialIntervalMs);
        require(maxSessions >= 1, "maxSessions must be at least 1, not " + maxSessions);
        require(preloadedDecoders >= 0 && preloadedDecoders <= maxSessions,
                "preloadedDecoders must be between 0 and maxSessions (" + maxSessions + "), not " + preloadedDecoders);
        require(maxBacklogSeconds >= 1, "maxBacklogSeconds must be at least 1, not " + maxBacklogSeconds);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Sphinx4 configuration: " + message);
        }
    }

    public SphinxConfig withMaxSessions(int sessions, int preloaded) {
        return new SphinxConfig(absoluteBeamWidth, relativeBeamWidth, absoluteWordBeamWidth, relativeWordBeamWidth,
                languageWeight, endSilenceMs, partialIntervalMs, sessions, preloaded, maxBacklogSeconds);
    }

    public SphinxConfig withBeams(int absolute, double relative, int absoluteWord, double relativeWord) {
        return new SphinxConfig(absolute, relative, absoluteWord, relativeWord,
                languageWeight, endSilenceMs, partialIntervalMs, maxSessions, preloadedDecoders, maxBacklogSeconds);
    }

    public SphinxConfig withEndSilenceMs(int ms) {
        return new SphinxConfig(absoluteBeamWidth, relativeBeamWidth, absoluteWordBeamWidth, relativeWordBeamWidth,
                languageWeight, ms, partialIntervalMs, maxSessions, preloadedDecoders, maxBacklogSeconds);
    }
}
