package io.parley.kernels.nn;

import io.parley.kernels.annotations.Parallel;

/**
 * Reference 1-D convolution with kernel 3 and padding 1, as Whisper's stem uses it (stride 1,
 * then stride 2). Time-major layouts: input {@code tIn x cIn}, output {@code tOut x cOut},
 * weights {@code cOut x cIn x 3} (PyTorch's and CTranslate2's order), with
 * {@code tOut = (tIn - 1) / stride + 1}.
 */
public final class ConvKernels {

    private ConvKernels() {
    }

    public static int outputLength(int tIn, int stride) {
        return (tIn - 1) / stride + 1;
    }

    public static void conv1dK3(float[] x, int tIn, int cIn, float[] w, float[] bias, float[] y, int cOut, int stride) {
        int tOut = (tIn - 1) / stride + 1;
        for (@Parallel int t = 0; t < tOut; t++) {
            for (@Parallel int o = 0; o < cOut; o++) {
                float acc = bias[o];
                for (int kk = 0; kk < 3; kk++) {
                    int ti = t * stride + kk - 1;
                    if (ti >= 0 && ti < tIn) {
                        for (int c = 0; c < cIn; c++) {
                            acc += w[(o * cIn + c) * 3 + kk] * x[ti * cIn + c];
                        }
                    }
                }
                y[t * cOut + o] = acc;
            }
        }
    }
}
