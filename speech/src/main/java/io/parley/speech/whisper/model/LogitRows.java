package io.parley.speech.whisper.model;

import java.util.Arrays;

/**
 * Which of the tokens fed to a sequence in one decoder pass get logits back. The logits are the
 * costliest rows of a pass (a product with the whole vocabulary), so a pass asks only for those
 * it reads: after its last token (a step), after every token (a draft checked in one pass), or
 * after a few chosen ones (the previous text, the start of transcript and the task tokens fed
 * together, read at the start of transcript and at the end), or after none (a pass read for its
 * attention).
 */
public final class LogitRows {

    private static final LogitRows LAST = new LogitRows(null, false);
    private static final LogitRows EVERY = new LogitRows(null, true);
    private static final LogitRows NONE = new LogitRows(new int[0], false);

    /** Chosen indices into the tokens fed, ascending; null for the last or every one. */
    private final int[] chosen;
    private final boolean every;

    private LogitRows(int[] chosen, boolean every) {
        this.chosen = chosen;
        this.every = every;
    }

    /** After the last token only. */
    public static LogitRows last() {
        return LAST;
    }

    /** After every token, in order. */
    public static LogitRows every() {
        return EVERY;
    }

    /** None: a pass fed for its cache or read for its attention. */
    public static LogitRows none() {
        return NONE;
    }

    /** After the tokens at these indices of those fed (ascending, no repeats). */
    public static LogitRows at(int... indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("at least one row of logits is wanted");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new IllegalArgumentException("logit rows must be ascending indices: " + Arrays.toString(indices));
            }
        }
        return new LogitRows(indices.clone(), false);
    }

    /** {@link #last()} or {@link #every()}. */
    public static LogitRows lastOrEvery(boolean every) {
        return every ? EVERY : LAST;
    }

    /** The indices, among {@code fed} tokens, whose logits come back, ascending. */
    int[] of(int fed) {
        if (every) {
            int[] all = new int[fed];
            Arrays.setAll(all, i -> i);
            return all;
        }
        if (chosen == null) {
            return new int[]{fed - 1};
        }
        if (chosen.length > 0 && chosen[chosen.length - 1] >= fed) {
            throw new IllegalArgumentException("logits asked after token " + chosen[chosen.length - 1]
                    + " of a pass that feeds " + fed);
        }
        return chosen;
    }

    @Override
    public String toString() {
        return every ? "every" : chosen == null ? "last" : chosen.length == 0 ? "none" : "at" + Arrays.toString(chosen);
    }
}
