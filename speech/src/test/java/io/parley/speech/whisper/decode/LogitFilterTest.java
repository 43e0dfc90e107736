package io.parley.speech.whisper.decode;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The log-sum-exp that normalises every decoder step's logits, against the sum taken in double. */
class LogitFilterTest {

    private static double reference(float[] a, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, a[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.exp(a[i] - max);
        }
        return max + Math.log(sum);
    }

    @Test
    void logSumExpOverAVocabularyWithSuppressedTokensMatchesTheSumInDouble() {
        Random r = new Random(5);
        float[] logits = new float[51865];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (r.nextGaussian() * 4 - 10);
        }
        for (int i = 0; i < logits.length; i += 97) {
            logits[i] = Float.NEGATIVE_INFINITY; // suppressed
        }
        logits[4242] = 25f; // one clear winner
        // The whole vocabulary, the timestamp tokens, and ranges whose ends are not vector-aligned.
        int[][] ranges = {{0, 51865}, {50364, 51865}, {3, 21}, {5, 6}, {0, 15}, {17, 51864}};
        for (int[] range : ranges) {
            assertEquals(reference(logits, range[0], range[1]), LogitFilter.logSumExp(logits, range[0], range[1]), 1e-5,
                    Arrays.toString(range));
        }
        float[] none = new float[40];
        Arrays.fill(none, Float.NEGATIVE_INFINITY);
        assertEquals(Double.NEGATIVE_INFINITY, LogitFilter.logSumExp(none, 0, none.length));
    }
}
