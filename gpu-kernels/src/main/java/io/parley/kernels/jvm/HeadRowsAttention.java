package io.parley.kernels.jvm;

import jdk.incubator.vector.VectorSpecies;

/**
 * Attention head by head over rows of the head's own: each head's keys and values are copied out
 * of the cache (widened to f32 where it is kept in f16, {@link JvmHalfArray}) into contiguous
 * rows that stay in L2 while the queries read them. Used for every cache kept in f16, and for
 * f32 keys and values when several queries read them (see {@link #ROWS_FROM}).
 */
final class HeadRowsAttention {

    private static final VectorSpecies<Float> F = Gemm.F;
    private static final int L = F.length();

    private HeadRowsAttention() {
    }

    /**
     * From this many queries, the matrix-product path. Below it, queries go in groups over the
     * head's rows widened here ({@link JvmAttention}). The product path first packs the head's
     * keys for the micro-kernel and copies its values, about 1.7 ms per layer over a 30 s window
     * (8 heads, two cores), which the groups only outgrow at about 130 queries: one layer of
     * cross-attention over 1500 keys took 1.2, 1.9 and 3.6 ms in groups for 32, 64 and 128
     * queries, against 2.3, 2.8 and 3.8 ms as products (and about the same ratios over 300 and
     * 700 keys). Such passes are a decoder's prompt (the previous text) and its drafts.
     */
    static final int GEMM_FROM = 128;

    /**
     * From this many queries (and below {@link #GEMM_FROM}), non-causal attention over f32 keys
     * and values goes through here too: a decoder's cross-attention, an encoder over a short
     * window. Read in place, each key is one head's 64 floats out of a 512-float
     * row, 3 MB of keys per layer over a 30 s window: the groups of queries then wait on memory.
     * One layer over 1500 keys took 0.6-0.9 ms this way instead of 0.7-1.5 ms for 6 to 16
     * queries, 1.3 ms instead of 2.5-2.7 ms for 31 and 32, 2.1 instead of 3.1-3.3 for 64 (over
     * 300 keys about half, from 32 queries). Below six queries (a greedy step, a beam) the copy
     * costs more than it saves.
     */
    static final int ROWS_FROM = 6;

    /** Per thread: one head's queries, keys, values, output and weights, as f32 rows of their own. */
    private static final ThreadLocal<float[][]> HEAD_SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

    /**
     * Attention whose keys and values are f16 bits ({@code short[]}, a cross-attention cache)
     * or floats ({@code float[]}), head by head in parallel: each head's keys and values are
     * widened into f32 rows of the thread's own (tk x headDim, in L2 for a 30 s window), and the
     * f32 kernels of {@link JvmAttention} run on that one head. The cache takes half the memory
     * and half the bytes per pass; the widening costs a few operations per sixteen values, which
     * several queries (a beam's hypotheses) share. Widening inside the score and value loops instead was slower:
     * the conversions then compete with the multiply-adds for the same registers and ports.
     */
    static void run(ParallelLoop loop, float[] q, Object k, Object v, float[] out, float[] probs,
                    int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        int width = heads * headDim;
        loop.forRange(heads, 1, (h0, h1) -> {
            float[][] scratch = HEAD_SCRATCH.get();
            float[] kh = grow(scratch, 0, tk * headDim);
            float[] vh = grow(scratch, 1, tk * headDim);
            float[] qh = grow(scratch, 2, tq * headDim);
            float[] oh = grow(scratch, 3, tq * headDim);
            // Weights are the working space of the few-queries path; the product path needs none.
            float[] ph = probs != null || tq < GEMM_FROM ? grow(scratch, 4, tq * tk) : null;
            for (int h = h0; h < h1; h++) {
                int col = h * headDim;
                headRows(k, col, headDim, width, tk, kh);
                headRows(v, col, headDim, width, tk, vh);
                for (int i = 0; i < tq; i++) {
                    System.arraycopy(q, i * width + col, qh, i * headDim, headDim);
                }
                JvmAttention.run(JvmAttention.SERIAL, qh, kh, vh, oh, ph, 1, headDim, tq, tk, qPosition, causal,
                        GEMM_FROM);
                for (int i = 0; i < tq; i++) {
                    System.arraycopy(oh, i * headDim, out, i * width + col, headDim);
                }
                if (probs != null) {
                    System.arraycopy(ph, 0, probs, h * tq * tk, tq * tk);
                }
            }
        });
    }

    private static float[] grow(float[][] scratch, int i, int length) {
        if (scratch[i].length < length) {
            scratch[i] = new float[length];
        }
        return scratch[i];
    }

    /** Columns {@code col .. col+headDim} of every row of {@code src} as f32, into {@code dst} ({@code rows x headDim}). */
    private static void headRows(Object src, int col, int headDim, int width, int rows, float[] dst) {
        if (src instanceof float[] f) {
            for (int j = 0; j < rows; j++) {
                System.arraycopy(f, j * width + col, dst, j * headDim, headDim);
            }
            return;
        }
        short[] bits = (short[]) src;
        int vectorWidth = headDim - headDim % L;
        for (int j = 0; j < rows; j++) {
            int s = j * width + col;
            int d = j * headDim;
            int c = 0;
            for (; c < vectorWidth; c += L) {
                Gemm.halfToFloat(bits, s + c).intoArray(dst, d + c);
            }
            for (; c < headDim; c++) {
                dst[d + c] = Float.float16ToFloat(bits[s + c]);
            }
        }
    }
}
