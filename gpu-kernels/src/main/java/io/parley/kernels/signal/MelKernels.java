package io.parley.kernels.signal;

import io.parley.kernels.annotations.Parallel;
import io.parley.kernels.annotations.Reduce;

/**
 * Reference log-mel features as Whisper defines them: mel energies of the power spectrum,
 * {@code log10} clamped below at {@code 1e-10}, then clamped to within 8 (i.e. 80 dB) of the
 * largest value, then {@code (x + 4) / 4}. Three kernels, because the clamp needs the maximum
 * over every frame first. Time-major: {@code frames x nMels}.
 */
public final class MelKernels {

    private MelKernels() {
    }

    /** {@code out[f][m] = log10(max(1e-10, sum_b filters[m][b] * power[f][b]))}. */
    public static void logMel(float[] power, float[] filters, float[] out, int frames, int bins, int nMels) {
        for (@Parallel int f = 0; f < frames; f++) {
            for (@Parallel int m = 0; m < nMels; m++) {
                float acc = 0f;
                for (int b = 0; b < bins; b++) {
                    acc += filters[m * bins + b] * power[f * bins + b];
                }
                // log10 as ln / ln 10: natural log is what every backend's compiler has.
                out[f * nMels + m] = (float) (Math.log(Math.max(acc, 1e-10f)) * 0.4342944819032518);
            }
        }
    }

    /** {@code max[0] = max over x[0..n)}; {@code max[0]} must start at negative infinity. */
    public static void max(float[] x, int n, @Reduce float[] max) {
        for (@Parallel int i = 0; i < n; i++) {
            max[0] = Math.max(max[0], x[i]);
        }
    }

    /** {@code x = (max(x, top - 8) + 4) / 4}, in place. */
    public static void clampAndScale(float[] x, int n, float top) {
        float floor = top - 8f;
        for (@Parallel int i = 0; i < n; i++) {
            x[i] = (Math.max(x[i], floor) + 4f) / 4f;
        }
    }
}
