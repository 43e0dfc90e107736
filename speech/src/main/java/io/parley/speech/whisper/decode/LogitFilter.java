package io.parley.speech.whisper.decode;

import io.parley.speech.whisper.text.WhisperTokenizer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.List;

/**
 * Whisper's rules on what may come next, applied to a step's logits in place (in OpenAI's
 * order: blank suppression, token suppression, timestamp rules):
 * <ul>
 *   <li>at the first step, no blank and no end of text;</li>
 *   <li>never the tokens of the model's {@code suppress_ids} (symbols Whisper misuses), nor any
 *       special token;</li>
 *   <li>with timestamps: they come in pairs around each segment's text and never go backwards;
 *       the first token is a timestamp no later than {@code maxInitialTimestamp}; and when the
 *       timestamps together are likelier than any single text token, a timestamp comes next.</li>
 * </ul>
 */
final class LogitFilter {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final WhisperTokenizer tokenizer;
    private final int[] suppress;
    private final int[] suppressAtBegin;
    private final boolean timestamps;
    private final int maxInitialTimestampIndex;

    LogitFilter(WhisperTokenizer tokenizer, int[] suppress, int[] suppressAtBegin, boolean timestamps,
                double maxInitialTimestamp) {
        this.tokenizer = tokenizer;
        this.suppress = suppress;
        this.suppressAtBegin = suppressAtBegin;
        this.timestamps = timestamps;
        this.maxInitialTimestampIndex = (int) Math.round(maxInitialTimestamp / WhisperTokenizer.TIMESTAMP_STEP);
    }

    /** @param sampled tokens generated so far in this window (the prompt excluded) */
    void apply(float[] logits, List<Integer> sampled) {
        float ninf = Float.NEGATIVE_INFINITY;
        int tsBegin = tokenizer.timestampBegin;
        int eot = tokenizer.eot;
        if (sampled.isEmpty()) {
            for (int t : suppressAtBegin) {
                logits[t] = ninf;
            }
        }
        for (int t : suppress) {
            if (t < logits.length) {
                logits[t] = ninf;
            }
        }
        if (!timestamps) {
            return;
        }
        logits[tokenizer.noTimestamps] = ninf;
        int n = sampled.size();
        boolean lastWasTimestamp = n >= 1 && sampled.get(n - 1) >= tsBegin;
        boolean penultimateWasTimestamp = n < 2 || sampled.get(n - 2) >= tsBegin;
        if (lastWasTimestamp) {
            if (penultimateWasTimestamp) {
                fill(logits, tsBegin, logits.length, ninf); // a timestamp pair closed: text (or the end) next
            } else {
                fill(logits, 0, eot, ninf); // an opening timestamp: its partner, not text
            }
        }
        int lastTimestamp = -1;
        for (int t : sampled) {
            if (t >= tsBegin) {
                lastTimestamp = t;
            }
        }
        if (lastTimestamp >= 0) {
            // Never backwards; and a segment must last, so a closing timestamp may equal its
            // opening one only right after it.
            int floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
            fill(logits, tsBegin, floor, ninf);
        }
        if (n == 0) {
            fill(logits, 0, tsBegin, ninf);
            int lastAllowed = tsBegin + maxInitialTimestampIndex;
            fill(logits, lastAllowed + 1, logits.length, ninf);
        }
        // When timestamps together outweigh every text token, a timestamp it is.
        double timestampMass = logSumExp(logits, tsBegin, logits.length);
        double maxText = LogitRanking.max(logits, 0, tsBegin);
        double norm = logSumExp(logits, 0, logits.length);
        if (timestampMass - norm > maxText - norm) {
            fill(logits, 0, tsBegin, ninf);
        }
    }

    private static void fill(float[] a, int from, int to, float v) {
        int lo = Math.max(0, from);
        int hi = Math.min(a.length, to);
        if (lo < hi) {
            java.util.Arrays.fill(a, lo, hi, v);
        }
    }

    static double logSumExp(float[] a, int from, int to) {
        // Vectorised: every step of every hypothesis takes this over the whole vocabulary (51865
        // values) twice, which with scalar Math.exp was a tenth of a beam search's time.
        float max = LogitRanking.max(a, from, to);
        if (max == Float.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        // Sixteen partial sums of at most a few thousand terms in [0, 1] each, added in double.
        FloatVector sumV = FloatVector.zero(F);
        int i = from;
        for (; i <= to - F.length(); i += F.length()) {
            sumV = sumV.add(FloatVector.fromArray(F, a, i).sub(max).lanewise(VectorOperators.EXP));
        }
        double sum = 0;
        for (int lane = 0; lane < F.length(); lane++) {
            sum += sumV.lane(lane);
        }
        for (; i < to; i++) {
            sum += Math.exp(a[i] - max);
        }
        return max + Math.log(sum);
    }
}
