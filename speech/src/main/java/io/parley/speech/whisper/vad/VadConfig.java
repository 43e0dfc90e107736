package io.parley.speech.whisper.vad;

/**
 * When speech starts and ends, in Silero's terms, validated.
 *
 * @param threshold        a chunk at or above this probability is speech
 * @param negativeOffset   once in speech, a chunk counts as silence only below {@code threshold - negativeOffset}
 * @param minSpeechMs      shorter bursts are not speech (a cough, a click)
 * @param minSilenceMs     silence that ends an utterance: the endpoint
 * @param speechPadMs      audio kept before speech starts, so the first syllable is not cut
 */
public record VadConfig(double threshold, double negativeOffset, int minSpeechMs, int minSilenceMs, int speechPadMs) {

    /**
     * Speech starts after 128 ms (four of Silero's 32 ms chunks) at or above 0.5: the first partial
     * runs when speech starts, so this wait is part of every utterance's first caption (250 ms,
     * Silero's own default, put the first caption at 0.72 s after speech began in
     * {@code ./parley bench live}, 128 ms at 0.47 s, with the same finals and WER). Silero's
     * probabilities, not energy, decide, and a burst that yields no words yields no caption;
     * faster-whisper's VAD filter asks for no minimum at all.
     */
    public static VadConfig defaults() {
        return new VadConfig(0.5, 0.15, 128, 500, 200);
    }

    public VadConfig {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("VAD threshold must be in (0, 1), not " + threshold);
        }
        if (negativeOffset < 0 || negativeOffset >= threshold) {
            throw new IllegalArgumentException("VAD negativeOffset must be in [0, threshold), not " + negativeOffset);
        }
        if (minSpeechMs < 0 || minSilenceMs < 100 || speechPadMs < 0) {
            throw new IllegalArgumentException("VAD durations: minSpeechMs >= 0, minSilenceMs >= 100, speechPadMs >= 0");
        }
    }

    public VadConfig withMinSilenceMs(int ms) {
        return new VadConfig(threshold, negativeOffset, minSpeechMs, ms, speechPadMs);
    }
}
