package io.parley.kernels.nn;

import io.parley.kernels.annotations.Parallel;

/** Reference token-embedding lookups. */
public final class EmbeddingKernels {

    private EmbeddingKernels() {
    }

    /**
     * {@code out[i] = table[ids[i]] * scale + positions[firstPosition + i]}: token embeddings
     * plus position embeddings, rows of {@code dim}. Pass a {@code positions} of zeros, or
     * {@code scale = 1}, where a model has no such term.
     */
    public static void embed(float[] table, int[] ids, float scale, float[] positions, int firstPosition,
                             float[] out, int count, int dim) {
        for (@Parallel int i = 0; i < count; i++) {
            for (@Parallel int d = 0; d < dim; d++) {
                out[i * dim + d] = table[ids[i] * dim + d] * scale + positions[(firstPosition + i) * dim + d];
            }
        }
    }
}
