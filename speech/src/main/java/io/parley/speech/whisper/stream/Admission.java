package io.parley.speech.whisper.stream;

import java.util.Locale;

/**
 * Whether the shared model can take one more live stream. Partials are elastic (their cadence
 * stretches, and a stream behind sheds them), finals are not: a stream is refused when the final
 * passes of the streams already open, with a newcomer's share added, would fill most of the
 * model's time, or when a stream is already falling behind its audio. Refusing a newcomer keeps
 * the finals of the streams already open on time.
 *
 * <p>A stream's share is learned: the finals' share of the model per open stream, as last seen
 * while streams were open. Streams that arrive together are then weighed by what streams cost
 * before them, not admitted all at once because the model was idle a moment ago.
 */
final class Admission {

    /** The model's time final passes may take, at most, with the newcomer counted. */
    static final double MAX_FINAL_UTILISATION = 0.85;
    /** A stream this far behind its audio means the model is already full. */
    static final double MAX_BEHIND_SECONDS = 2.0;
    /** How much of a new observation of a stream's share replaces the estimate. */
    static final double LEARNING = 0.3;

    private double perStream;

    /**
     * Null if a stream may open, else why not (a sentence for the client). Not thread-safe: the
     * recognizer opens streams one at a time.
     *
     * @param open             streams open now
     * @param finalUtilisation the model's busy fraction on final passes lately
     * @param mostBehind       the most audio any open stream holds unread, in seconds
     */
    String refusal(int open, double finalUtilisation, double mostBehind) {
        if (open == 0) {
            return null;
        }
        if (finalUtilisation > 0) {
            double seen = finalUtilisation / open;
            perStream = perStream == 0 ? seen : perStream + LEARNING * (seen - perStream);
        }
        double projected = Math.max(finalUtilisation, perStream * open) + perStream;
        if (projected > MAX_FINAL_UTILISATION) {
            return String.format(Locale.ROOT, "speech recognition is at capacity (%d streams; their finals take %.0f%%"
                    + " of the model's time, %.0f%% with one more); try again later", open,
                    100 * Math.max(finalUtilisation, perStream * open), 100 * projected);
        }
        if (mostBehind > MAX_BEHIND_SECONDS) {
            return String.format(Locale.ROOT, "speech recognition is at capacity (a stream is %.1f s behind its audio);"
                    + " try again later", mostBehind);
        }
        return null;
    }

    /** The finals' share of the model one stream takes, as learned; 0 before any was seen. */
    double perStream() {
        return perStream;
    }
}
