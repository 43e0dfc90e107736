package io.parley.speech.whisper.stream;

import java.util.Locale;

/**
 * Whether the shared model can take one more live stream. Partials are elastic (their cadence
 * stretches, and a stream behind sheds them), finals are not: a stream is refused when the final
 * passes of the streams already open, with a newcomer's share added, would fill most of the
 * model's time, or when a stream is already falling behind its audio. Refusing a newcomer keeps
 * the finals of the streams already open on time.
 *
 * <p>A stream's share is learned: the finals' share of the model per stream, as last seen while
 * every open stream had been open for the whole of the window it is measured over (a younger
 * stream has had fewer finals in it and would make the share look small). Streams too young to
 * have shown their cost, newcomers among them, are weighed at the learned share; before any has
 * been learned, at a share estimated from what a final pass costs on this machine (its
 * full-window encoding, as the first finals took it). So streams that arrive together are not all
 * let in because the model was idle a moment ago. (Timing an encoding when the model loads would
 * give the estimate sooner, but a warm-up on a silent window left the gateway a tenth slower for
 * the rest of its run in bench live.)
 */
final class Admission {

    /**
     * The model's time final passes may take, at most, with the newcomer counted. On a 2-core
     * machine four streams' finals take 60-80% of Whisper base's time (bench live); a fifth would
     * take the rest, and every stream's finals would queue behind each other.
     */
    static final double MAX_FINAL_UTILISATION = 0.85;
    /** A stream this far behind its audio means the model is already full. */
    static final double MAX_BEHIND_SECONDS = 2.0;
    /** How much of a new observation of a stream's share replaces the estimate. */
    static final double LEARNING = 0.3;
    /**
     * Speech between two finals, for the estimate before any stream has been seen: live speakers
     * pause (and end an utterance) every few seconds.
     */
    static final double SPEECH_SECONDS_PER_FINAL = 5.0;
    /**
     * A final pass against its full-window encoding alone: its decoding and word alignment, and
     * two finals at once sharing the cores.
     */
    static final double FINAL_PASS_PER_ENCODING = 1.5;

    private final double maxFinalUtilisation;
    private double perStream;
    private volatile double estimated;

    Admission() {
        this(MAX_FINAL_UTILISATION);
    }

    /** @param maxFinalUtilisation the model's time final passes may take, at most, with a newcomer counted */
    Admission(double maxFinalUtilisation) {
        this.maxFinalUtilisation = maxFinalUtilisation;
    }

    /**
     * A full-window encoding takes {@code seconds} on this machine lately: until a share has been
     * learned, a stream is taken to cost the model what such a final pass every few seconds does.
     */
    void encodingMeasured(double seconds) {
        estimated = seconds * FINAL_PASS_PER_ENCODING / SPEECH_SECONDS_PER_FINAL;
    }

    /**
     * Null if a stream may open, else why not (a sentence for the client). Not thread-safe: the
     * recognizer opens streams one at a time.
     *
     * @param settled          streams open for the whole of the window the finals' share is measured over
     * @param young            streams opened since
     * @param finalUtilisation the model's busy fraction on final passes over that window
     * @param mostBehind       the most audio any open stream holds unread, in seconds
     */
    String refusal(int settled, int young, double finalUtilisation, double mostBehind) {
        int open = settled + young;
        if (open == 0) {
            return null;
        }
        if (young == 0 && finalUtilisation > 0) {
            double seen = finalUtilisation / settled;
            perStream = perStream == 0 ? seen : perStream + LEARNING * (seen - perStream);
        }
        double share = share();
        double projected = Math.max(finalUtilisation, share * open) + share;
        if (projected > maxFinalUtilisation) {
            return String.format(Locale.ROOT, "speech recognition is at capacity (%d streams; their finals take %.0f%%"
                    + " of the model's time, %.0f%% with one more); try again later", open,
                    100 * Math.max(finalUtilisation, share * open), 100 * projected);
        }
        if (mostBehind > MAX_BEHIND_SECONDS) {
            return String.format(Locale.ROOT, "speech recognition is at capacity (a stream is %.1f s behind its audio);"
                    + " try again later", mostBehind);
        }
        return null;
    }

    /** The finals' share of the model one stream is taken to cost: learned, else estimated; 0 before either. */
    double share() {
        return perStream > 0 ? perStream : estimated;
    }

    /** The share as learned from streams seen; 0 before any. */
    double perStream() {
        return perStream;
    }
}
