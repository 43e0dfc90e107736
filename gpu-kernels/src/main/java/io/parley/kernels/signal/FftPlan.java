package io.parley.kernels.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * The precomputed tables of a mixed-radix (2, 3, 4, 5 and any other prime) decimation-in-time
 * FFT of length {@code n}: the input permutation, the radix of each stage, and one table of
 * {@code n} twiddle factors {@code exp(-2 pi i t / n)}. Whisper's window of 400 samples is
 * {@code 4 * 4 * 5 * 5}, not a power of two, hence the mixed radix.
 *
 * <p>Stage {@code s} combines {@code radix[s]} transforms of length {@code span[s]} (the product
 * of the earlier radices) into one of length {@code span[s] * radix[s]}. The permutation puts
 * input {@code i} where the first stage expects it: the digits of {@code i} in the mixed radix
 * of the stages, reversed.
 *
 * <p>Kernels take the plan as two arrays (few arguments suit every kernel compiler):
 * {@link #ints()} is {@code [n, stages, maxRadix, radix[stages], span[stages], permutation[n]]}
 * and {@link #twiddles()} is {@code [cos[n], sin[n]]}.
 */
public record FftPlan(int n, int[] radix, int[] span, int[] permutation, float[] cos, float[] sin) {

    /** Offset of the radices in {@link #ints()}. */
    public static final int RADIX = 3;

    public static FftPlan of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be positive, not " + n);
        }
        List<Integer> factors = new ArrayList<>();
        int rest = n;
        // Radix 4 first (fewest stages), then whatever 2, 3 and 5 remain, then other primes.
        for (int f : new int[]{4, 2, 3, 5}) {
            while (rest % f == 0) {
                factors.add(f);
                rest /= f;
            }
        }
        for (int f = 7; rest > 1; f += 2) {
            while (rest % f == 0) {
                factors.add(f);
                rest /= f;
            }
        }
        int stages = factors.size();
        int[] radix = new int[stages];
        int[] span = new int[stages];
        int l = 1;
        for (int s = 0; s < stages; s++) {
            radix[s] = factors.get(s);
            span[s] = l;
            l *= radix[s];
        }
        // Digit reversal: the last stage splits the input by i mod radix[last] (its least
        // significant digit), and sends residue q to the q-th block of n / radix[last].
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++) {
            int remaining = i;
            int position = 0;
            int weight = n;
            for (int s = stages - 1; s >= 0; s--) {
                weight /= radix[s];
                position += (remaining % radix[s]) * weight;
                remaining /= radix[s];
            }
            permutation[i] = position;
        }
        float[] cos = new float[n];
        float[] sin = new float[n];
        for (int t = 0; t < n; t++) {
            double angle = -2 * Math.PI * t / n;
            cos[t] = (float) Math.cos(angle);
            sin[t] = (float) Math.sin(angle);
        }
        return new FftPlan(n, radix, span, permutation, cos, sin);
    }

    /** Number of stages. */
    public int stages() {
        return radix.length;
    }

    /** The largest radix: the scratch a butterfly needs is twice this. */
    public int maxRadix() {
        int max = 1;
        for (int r : radix) {
            max = Math.max(max, r);
        }
        return max;
    }

    /** The integer tables in one array, as kernels take them. */
    public int[] ints() {
        int stages = stages();
        int[] out = new int[RADIX + 2 * stages + n];
        out[0] = n;
        out[1] = stages;
        out[2] = maxRadix();
        System.arraycopy(radix, 0, out, RADIX, stages);
        System.arraycopy(span, 0, out, RADIX + stages, stages);
        System.arraycopy(permutation, 0, out, RADIX + 2 * stages, n);
        return out;
    }

    /** cos then sin, in one array. */
    public float[] twiddles() {
        float[] out = new float[2 * n];
        System.arraycopy(cos, 0, out, 0, n);
        System.arraycopy(sin, 0, out, n, n);
        return out;
    }
}
