package io.parley.speech.whisper.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The best tokens of a step's logits: the largest value, the first token that has it, and the
 * best few. Each scans the whole vocabulary (51865 values for Whisper) once per hypothesis and
 * step, so the scans are vectorised; ties go to the lower token id, as a plain scan would give.
 */
final class LogitRanking {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private LogitRanking() {
    }

    /** The largest of {@code a[from..to)}; {@code -inf} when the range is empty. */
    static float max(float[] a, int from, int to) {
        int i = from;
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i <= to - F.length(); i += F.length()) {
            m = m.max(FloatVector.fromArray(F, a, i));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            max = Math.max(max, a[i]);
        }
        return max;
    }

    /** The first index holding the largest value (0 for an array of {@code -inf}). */
    static int argmax(float[] a) {
        float max = max(a, 0, a.length);
        int i = 0;
        for (; i <= a.length - F.length(); i += F.length()) {
            VectorMask<Float> hit = FloatVector.fromArray(F, a, i).compare(VectorOperators.EQ, max);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < a.length; i++) {
            if (a[i] == max) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The indices of the {@code k} largest finite values, best first (fewer when fewer are
     * finite). A block of lanes none of which beats the current k-th best is skipped whole, so
     * after the first few blocks almost every block costs one comparison.
     */
    static int[] topK(float[] a, int k) {
        int[] best = new int[k];
        Arrays.fill(best, -1);
        int found = 0;
        float threshold = Float.NEGATIVE_INFINITY; // the k-th best so far, once there are k
        int i = 0;
        for (; i <= a.length - F.length(); i += F.length()) {
            if (FloatVector.fromArray(F, a, i).compare(VectorOperators.GT, threshold).anyTrue()) {
                for (int t = i; t < i + F.length(); t++) {
                    found = offer(a, t, best, found);
                }
                threshold = found == k ? a[best[k - 1]] : Float.NEGATIVE_INFINITY;
            }
        }
        for (; i < a.length; i++) {
            found = offer(a, i, best, found);
        }
        return found == k ? best : Arrays.copyOf(best, found);
    }

    /** Puts token t into the sorted list if it belongs there; returns how many the list holds. */
    private static int offer(float[] a, int t, int[] best, int found) {
        float v = a[t];
        if (v == Float.NEGATIVE_INFINITY) {
            return found;
        }
        int k = best.length;
        int pos = found;
        while (pos > 0 && a[best[pos - 1]] < v) {
            pos--;
        }
        if (pos >= k) {
            return found;
        }
        int moved = Math.min(found, k - 1) - pos;
        System.arraycopy(best, pos, best, pos + 1, moved);
        best[pos] = t;
        return Math.min(found + 1, k);
    }
}
