package io.parley.speech.whisper.vad;

/**
 * Turns per-chunk speech probabilities into speech starts and ends (Silero's hysteresis): speech
 * begins after {@code minSpeechMs} of chunks above the threshold, and ends after
 * {@code minSilenceMs} of chunks below {@code threshold - negativeOffset}. Positions are in
 * samples from the start of the stream.
 */
public final class SpeechDetector {

    /** What a chunk changed. */
    public enum Event { NONE, SPEECH_STARTED, SPEECH_ENDED }

    private final VadConfig config;
    private final int minSpeech;
    private final int minSilence;
    private boolean inSpeech;
    private long candidateStart = -1;
    private long silenceStart = -1;
    private long speechStart;
    private long speechEnd;

    public SpeechDetector(VadConfig config) {
        this.config = config;
        this.minSpeech = config.minSpeechMs() * 16;
        this.minSilence = config.minSilenceMs() * 16;
    }

    /** Feeds the probability of the chunk {@code [position, position + chunk)}. */
    public Event update(float probability, long position, int chunk) {
        if (!inSpeech) {
            if (probability >= config.threshold()) {
                if (candidateStart < 0) {
                    candidateStart = position;
                }
                if (position + chunk - candidateStart >= minSpeech) {
                    inSpeech = true;
                    speechStart = candidateStart;
                    silenceStart = -1;
                    return Event.SPEECH_STARTED;
                }
            } else {
                candidateStart = -1;
            }
            return Event.NONE;
        }
        if (probability < config.threshold() - config.negativeOffset()) {
            if (silenceStart < 0) {
                silenceStart = position;
            }
            if (position + chunk - silenceStart >= minSilence) {
                inSpeech = false;
                speechEnd = silenceStart;
                candidateStart = -1;
                silenceStart = -1;
                return Event.SPEECH_ENDED;
            }
        } else if (probability >= config.threshold()) {
            silenceStart = -1;
        }
        return Event.NONE;
    }

    public boolean inSpeech() {
        return inSpeech;
    }

    /** Where the current (or last) speech started, padded back by {@code speechPadMs}. */
    public long speechStart() {
        return Math.max(0, speechStart - config.speechPadMs() * 16L);
    }

    /** Where the last speech ended (the first silent chunk). */
    public long speechEnd() {
        return speechEnd;
    }

    /** Samples of silence so far inside speech (0 if the last chunk was speech). */
    public long trailingSilence(long position) {
        return silenceStart < 0 ? 0 : position - silenceStart;
    }
}
