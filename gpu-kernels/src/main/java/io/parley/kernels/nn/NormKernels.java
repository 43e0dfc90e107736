package io.parley.kernels.nn;

import io.parley.kernels.annotations.Parallel;

/** Reference normalisations over the last dimension of a {@code rows x cols} row-major array. */
public final class NormKernels {

    private NormKernels() {
    }

    /** Softmax of each row, in place; subtracts the row's maximum first, so large logits do not overflow. */
    public static void softmax(float[] x, int rows, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            int base = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[base + c]);
            }
            float sum = 0f;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[base + c] - max);
                x[base + c] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int c = 0; c < cols; c++) {
                x[base + c] *= inv;
            }
        }
    }

    /**
     * Layer normalisation: each row scaled to zero mean and unit (biased) variance, then
     * {@code * gamma + beta}. {@code x} and {@code y} may be the same array.
     */
    public static void layerNorm(float[] x, float[] gamma, float[] beta, float[] y, int rows, int cols, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            int base = r * cols;
            float mean = 0f;
            for (int c = 0; c < cols; c++) {
                mean += x[base + c];
            }
            mean /= cols;
            float var = 0f;
            for (int c = 0; c < cols; c++) {
                float d = x[base + c] - mean;
                var += d * d;
            }
            var /= cols;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            for (int c = 0; c < cols; c++) {
                y[base + c] = (x[base + c] - mean) * inv * gamma[c] + beta[c];
            }
        }
    }
}
