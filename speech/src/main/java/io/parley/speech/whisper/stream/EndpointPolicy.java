package io.parley.speech.whisper.stream;

/**
 * When a stream's window is decoded, in samples of the stream: partial passes while speech goes
 * on, and the speculative final pass that makes a final ready by the time a pause is confirmed.
 *
 * <ul>
 *   <li>The first partial is due once {@code firstStepMs} of the utterance (its padding included)
 *       are there; then after half the utterance so far, at least {@code firstStepMs} and at most
 *       {@code stepMs} of new speech: early passes are short and cheap, and the first words show
 *       soon. In the utterance's first {@code stepMs}, until a pass has shown words of it, every
 *       half {@code firstStepMs}: the first pass often hears only the start of a word and finds
 *       nothing yet, and a viewer waits for the first words more than for any later ones (past
 *       that, a sound the VAD took for speech that yields no words gets the usual step, not a
 *       pass every 150 ms over a growing window). The step stretches up to three times while the
 *       shared model is busy, so that
 *       partials take what finals leave. A due partial is shed (skipped, counted) when the stream is
 *       behind its own audio: a late partial is worth nothing and delays the final. So is one
 *       whose work is still waiting for the model, behind other streams' finals, once the stream
 *       would be {@link #PARTIAL_PATIENCE_SECONDS} behind: the session goes back to its audio,
 *       where its own pause may have begun, instead of noticing it only after the partial.</li>
 *   <li>A pause of {@link #SPECULATE_AFTER_MS} (or the VAD's padding, if shorter) starts the
 *       final pass early, on the speech up to the pause: when the VAD confirms the endpoint, that
 *       pass is the final, so that the final's latency is the pause's length at best. If speech
 *       resumes instead, its result serves as a partial and is counted as wasted work. While the
 *       model is mostly idle, a pause of {@link #SPECULATE_IDLE_AFTER_MS} does: a wasted pass
 *       then costs nobody anything.</li>
 * </ul>
 */
final class EndpointPolicy {

    /** What the session should run now. */
    enum Action { WAIT, PARTIAL, SPECULATIVE_FINAL }

    /** A stream this far behind its audio sheds its partials. */
    static final double SHED_BEHIND_SECONDS = 0.3;
    /**
     * How far behind its audio a stream may fall while a partial pass waits for the model: by
     * then the next partial is due, and the stream's own pause may have begun unseen.
     */
    static final double PARTIAL_PATIENCE_SECONDS = 1.0;
    /** The model's utilisation above which partials come less often, and where they come at the slowest. */
    static final double CADENCE_FROM = 0.5;
    static final double CADENCE_FULL = 0.9;
    static final double MAX_STRETCH = 3.0;
    /** The pause after which the final pass starts, speculatively. */
    static final int SPECULATE_AFTER_MS = 100;
    /**
     * The same while the model's utilisation is below {@link #CADENCE_FROM}: two of the VAD's
     * chunks. Inside speech, more pauses last that long (the closure before a stop, a breath
     * between words), so more passes are wasted, but the final comes that much sooner.
     */
    static final int SPECULATE_IDLE_AFTER_MS = 64;

    private final long stepSamples;
    private final long firstStepSamples;
    private final long speculateSamples;
    private final long speculateIdleSamples;
    private final int rate;

    private long utteranceStart;
    private long lastPass;
    private boolean wordsShown;
    private WindowPass speculative;
    private long speculativeSpeechEnd = -1;
    private long shed;

    EndpointPolicy(StreamingConfig config, int rate) {
        this.rate = rate;
        this.stepSamples = config.stepMs() * (long) rate / 1000;
        this.firstStepSamples = config.firstStepMs() * (long) rate / 1000;
        this.speculateSamples = Math.min(SPECULATE_AFTER_MS, config.vad().speechPadMs()) * (long) rate / 1000;
        this.speculateIdleSamples = Math.min(SPECULATE_IDLE_AFTER_MS, config.vad().speechPadMs()) * (long) rate / 1000;
    }

    /** Speech (re)started at {@code start}; the stream is at {@code position}. */
    void startUtterance(long start, long position) {
        utteranceStart = start;
        lastPass = position;
        wordsShown = false;
    }

    /** A pass showed words of the utterance: the partials come at the usual step from now on. */
    void showedWords() {
        wordsShown = true;
    }

    /** Whether a pass has shown words of the utterance since it started. */
    boolean wordsShown() {
        return wordsShown;
    }

    long utteranceStart() {
        return utteranceStart;
    }

    /**
     * What to run now, during speech.
     *
     * @param position        samples the stream has delivered
     * @param trailingSilence samples of silence at the end of the speech so far (0 while speaking)
     * @param behindSeconds   audio the stream holds that the session has not read yet
     * @param utilisation     the shared model's busy fraction lately (0 to 1)
     */
    Action next(long position, long trailingSilence, double behindSeconds, double utilisation) {
        if (trailingSilence > 0) {
            long pause = utilisation < CADENCE_FROM ? speculateIdleSamples : speculateSamples;
            return trailingSilence >= pause && speculative == null ? Action.SPECULATIVE_FINAL : Action.WAIT;
        }
        long heard = position - utteranceStart;
        if (heard < firstStepSamples || position - lastPass < step(heard, utilisation)) {
            return Action.WAIT;
        }
        lastPass = position;
        if (behindSeconds > SHED_BEHIND_SECONDS) {
            shed++;
            return Action.WAIT;
        }
        return Action.PARTIAL;
    }

    /**
     * The step between partials after {@code heard} samples of the utterance, at this utilisation
     * of the model: half of what was heard, within {@code [firstStepMs, stepMs]} (half of
     * {@code firstStepMs} in the first {@code stepMs} until words are shown), stretched up to
     * three times as the model nears full use.
     */
    long step(long heard, double utilisation) {
        long first = Math.min(firstStepSamples, stepSamples);
        long base = !wordsShown && heard < stepSamples ? first / 2 : Math.clamp(heard / 2, first, stepSamples);
        double load = Math.clamp((utilisation - CADENCE_FROM) / (CADENCE_FULL - CADENCE_FROM), 0.0, 1.0);
        return Math.round(base * (1 + (MAX_STRETCH - 1) * load));
    }

    /**
     * When a partial pass starting now, with the stream {@code behindSeconds} behind its audio,
     * is given up if its work still waits for the model (System.nanoTime()).
     */
    long partialDeadline(long now, double behindSeconds) {
        return now + Math.round(Math.max(0, PARTIAL_PATIENCE_SECONDS - behindSeconds) * 1e9);
    }

    /** A partial pass was given up while it waited for the model. */
    void shedWhileWaiting() {
        shed++;
    }

    /** The speech end a speculative final should decode up to. */
    long speechEnd(long position, long trailingSilence) {
        return position - trailingSilence;
    }

    /** A speculative final pass ran on the speech up to {@code speechEnd}. */
    void speculated(long speechEnd, WindowPass pass) {
        speculative = pass;
        speculativeSpeechEnd = speechEnd;
    }

    /** The endpoint is confirmed at {@code speechEnd}: the speculative pass if it decoded exactly that speech, else null. */
    WindowPass takeFinal(long speechEnd) {
        if (speculative != null && speculativeSpeechEnd == speechEnd) {
            WindowPass p = speculative;
            speculative = null;
            speculativeSpeechEnd = -1;
            return p;
        }
        return null;
    }

    /**
     * Forgets the speculative pass; returns it if there was one: its final was not used (the
     * stream ended or the endpoint moved), or speech resumed and it serves as a partial.
     */
    WindowPass drop() {
        WindowPass p = speculative;
        speculative = null;
        speculativeSpeechEnd = -1;
        return p;
    }

    boolean speculating() {
        return speculative != null;
    }

    /** Partials shed by this stream so far. */
    long shed() {
        return shed;
    }

}
