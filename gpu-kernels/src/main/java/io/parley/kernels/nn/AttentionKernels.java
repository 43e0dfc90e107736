package io.parley.kernels.nn;

import io.parley.kernels.annotations.Parallel;

/**
 * Reference scaled dot-product attention of several heads over a key/value cache.
 *
 * <p>Layouts, row-major: queries {@code q} are {@code tq x (heads*headDim)}, keys and values
 * {@code k}, {@code v} are {@code tk x (heads*headDim)} (a cache: row {@code j} is position
 * {@code j}), the output is {@code tq x (heads*headDim)}. Query {@code i} sits at position
 * {@code qPosition + i}; with {@code causal = 1} it attends only to keys at positions up to its
 * own ({@code 0}: to every key).
 * {@code probs} ({@code heads x tq x tk}) receives the attention weights, which callers may
 * read (Whisper's word timestamps do).
 */
public final class AttentionKernels {

    private AttentionKernels() {
    }

    public static void attention(float[] q, float[] k, float[] v, float[] out, float[] probs,
                                 int heads, int headDim, int tq, int tk, int qPosition, int causal) {
        int width = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (@Parallel int h = 0; h < heads; h++) {
            for (@Parallel int i = 0; i < tq; i++) {
                int row = (h * tq + i) * tk;
                int last = causal != 0 ? Math.min(tk - 1, qPosition + i) : tk - 1;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j <= last; j++) {
                    float s = 0f;
                    for (int d = 0; d < headDim; d++) {
                        s += q[i * width + h * headDim + d] * k[j * width + h * headDim + d];
                    }
                    s *= scale;
                    probs[row + j] = s;
                    max = Math.max(max, s);
                }
                float sum = 0f;
                for (int j = 0; j <= last; j++) {
                    float e = (float) Math.exp(probs[row + j] - max);
                    probs[row + j] = e;
                    sum += e;
                }
                for (int j = last + 1; j < tk; j++) {
                    probs[row + j] = 0f;
                }
                float inv = 1f / sum;
                for (int d = 0; d < headDim; d++) {
                    float acc = 0f;
                    for (int j = 0; j <= last; j++) {
                        acc += probs[row + j] * v[j * width + h * headDim + d];
                    }
                    out[i * width + h * headDim + d] = acc * inv;
                }
                for (int j = 0; j <= last; j++) {
                    probs[row + j] *= inv;
                }
            }
        }
    }
}
