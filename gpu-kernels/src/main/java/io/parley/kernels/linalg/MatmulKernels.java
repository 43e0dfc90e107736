package io.parley.kernels.linalg;

import io.parley.kernels.annotations.Parallel;

/**
 * Reference matrix products of f32 activations with weights stored as f32, f16 or int8: the
 * semantics every backend must match.
 *
 * <p>Layout (as in PyTorch and CTranslate2 linear layers): activations {@code x} are
 * {@code m x k} row-major, weights {@code w} are {@code n x k} row-major (one row per output),
 * outputs {@code y = x wᵀ + bias} are {@code m x n} (a layer without bias passes zeros; kernels take no
 * flags, which keeps them simple for every compiler). For int8, row {@code j} of the weights is
 * {@code scale[j] * w[j][*]}. With {@code m = 1} this is a decoder step's matrix-vector product.
 * Accumulation is in f32, in order of {@code k}.
 */
public final class MatmulKernels {

    private MatmulKernels() {
    }

    public static void f32(float[] x, float[] w, float[] bias, float[] y, int m, int k, int n) {
        for (@Parallel int i = 0; i < m; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += x[i * k + p] * w[j * k + p];
                }
                y[i * n + j] = acc + bias[j];
            }
        }
    }

    /** Weights as raw IEEE half-precision bits. */
    public static void f16(float[] x, short[] w, float[] bias, float[] y, int m, int k, int n) {
        for (@Parallel int i = 0; i < m; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += x[i * k + p] * Float.float16ToFloat(w[j * k + p]);
                }
                y[i * n + j] = acc + bias[j];
            }
        }
    }

    /** Weights as signed bytes with one scale per output row. */
    public static void int8(float[] x, byte[] w, float[] scale, float[] bias, float[] y,
                            int m, int k, int n) {
        for (@Parallel int i = 0; i < m; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += x[i * k + p] * w[j * k + p];
                }
                acc *= scale[j];
                y[i * n + j] = acc + bias[j];
            }
        }
    }
}
