package io.parley.speech.whisper.stream;

import java.util.List;

/**
 * Which words of a live hypothesis are settled. A settled word is shown as stable and never
 * taken back within its utterance; the others are the unconfirmed tail, replaced by the next
 * pass. Policies differ in what they need to settle a word: {@link LocalAgreement} waits for a
 * second pass that agrees, {@link AlignAttPolicy} settles a word as soon as the decoder's
 * attention has moved past it.
 */
interface AgreementPolicy {

    /**
     * Takes the words of a new pass over the utterance and returns those it newly settles.
     *
     * @param hypothesis the pass's words, in stream time
     * @param audioEnd   stream time (seconds) where the audio of the pass ended
     */
    List<TimedWord> insert(List<TimedWord> hypothesis, double audioEnd);

    /** The words settled so far in this utterance. */
    List<TimedWord> committed();

    /** The words after them in the last pass, not settled. */
    List<TimedWord> pending();

    /** Starts a new utterance at stream time {@code time}: nothing settled or pending. */
    void reset(double time);

    static AgreementPolicy of(StreamingConfig.Agreement kind) {
        return switch (kind) {
            case LOCAL_AGREEMENT -> new LocalAgreement();
            case ALIGN_ATT -> new AlignAttPolicy(AlignAttPolicy.DEFAULT_FRONTIER_SECONDS);
        };
    }
}
