package io.parley.kernels.jvm;

import io.parley.kernels.tensor.F32Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The reference attention kernel on the JVM. With many queries (an encoder, a prompt), each
 * head is two matrix products on the {@link Gemm} micro-kernel: scores {@code Q Kᵀ}, a softmax
 * per row, then {@code P V}; the head's keys and values are packed as weights for it. With few
 * queries (a decoder step) each query's scores are dot products over the cache and its output a
 * weighted sum of value rows ({@link AttentionRows}), per head, in parallel across heads. A
 * cache kept in f16, and non-causal attention with several queries (6 to 127), go through
 * {@link HeadRowsAttention}.
 */
final class JvmAttention {

    private static final VectorSpecies<Float> F = Gemm.F;
    private static final int L = F.length();
    /**
     * From this many queries per block, transposing the head's keys pays off, where the queries
     * cannot go in groups (causal attention, heads not 64 wide). Where they can, the groups are
     * faster at every count below the matrix-product path: over a 30 s window (1500 keys) a decoder
     * pass of 16 to 31 tokens took 10-15 ms more transposed (int8 and f32, base on two cores).
     */
    private static final int TRANSPOSE_FROM = 16;

    private JvmAttention() {
    }

    /** From this many queries, the matrix-product path. */
    static final int GEMM_FROM = 32;
    /** Products inside a task run on the task's own thread. */
    static final ParallelLoop SERIAL = new ParallelLoop(1);

    /** @param probs receives the weights, {@code heads x tq x tk}; null when they are not wanted */
    static void run(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                    int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        run(loop, q, k, v, out, probs, heads, headDim, tq, tk, qPosition, causal, GEMM_FROM);
    }

    /** {@link #run}, with the matrix-product path from {@code gemmFrom} queries. */
    static void run(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                    int heads, int headDim, int tq, int tk, int qPosition, boolean causal, int gemmFrom) {
        if (tq >= gemmFrom) {
            products(loop, q, k, v, out, probs, heads, headDim, tq, tk, qPosition, causal);
            return;
        }
        if (probs == null) {
            // Few queries: the weights are the working space.
            run(loop, q, k, v, out, new float[heads * tq * tk], heads, headDim, tq, tk, qPosition, causal, gemmFrom);
            return;
        }
        int width = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int blocksPerHead = Math.max(1, Math.min((tq + 63) / 64, loop.threads() * 2));
        loop.forRange(heads * blocksPerHead, 1, (from, to) -> {
            float[] keysT = null;
            int transposedHead = -1;
            for (int task = from; task < to; task++) {
                int h = task / blocksPerHead;
                int b = task % blocksPerHead;
                int i0 = (int) ((long) tq * b / blocksPerHead);
                int i1 = (int) ((long) tq * (b + 1) / blocksPerHead);
                boolean grouped = !causal && headDim == 4 * L;
                boolean transpose = !grouped && i1 - i0 >= TRANSPOSE_FROM;
                if (transpose && transposedHead != h) {
                    keysT = AttentionRows.transposeHead(k, h, headDim, width, tk, keysT);
                    transposedHead = h;
                }
                int first = i0;
                if (grouped) {
                    // Queries in groups of up to five over the same keys and values (a beam's
                    // hypotheses over their shared window; Whisper's usual beam is five): each
                    // key and value row is read once for the group.
                    while (i1 - first >= 2) {
                        int count = Math.min(5, i1 - first);
                        int row = (h * tq + first) * tk;
                        int qOff = first * width + h * headDim;
                        AttentionRows.scoresGroup(q, qOff, width, count, k, h * headDim, tk, probs, row, scale);
                        for (int r = 0; r < count; r++) {
                            VectorMath.softmaxRow(probs, row + r * tk, tk);
                        }
                        AttentionRows.weightedGroup(probs, row, tk, count, v, width, h * headDim, out, qOff);
                        first += count;
                    }
                }
                for (int i = first; i < i1; i++) {
                    int row = (h * tq + i) * tk;
                    int last = causal ? Math.min(tk - 1, qPosition + i) : tk - 1;
                    int qOff = i * width + h * headDim;
                    if (transpose) {
                        AttentionRows.scoresTransposed(q, qOff, keysT, headDim, tk, last + 1, probs, row, scale);
                    } else if (headDim == 4 * L) {
                        AttentionRows.scores64(q, qOff, k, width, h * headDim, last + 1, probs, row, scale);
                    } else {
                        for (int j = 0; j <= last; j++) {
                            probs[row + j] = VectorMath.dot(q, qOff, k, j * width + h * headDim, headDim) * scale;
                        }
                    }
                    for (int j = last + 1; j < tk; j++) {
                        probs[row + j] = 0f;
                    }
                    VectorMath.softmaxRow(probs, row, last + 1);
                    AttentionRows.weightedValues(probs, row, v, width, h * headDim, headDim, last + 1, out, qOff);
                }
            }
        });
    }

    /** Query rows per task of the matrix-product path: their scores stay in the core's cache. */
    private static final int QUERY_BLOCK = 64;

    /**
     * Per head, keys and values are packed once as weights; then each task takes one head and a
     * block of query rows: S = Q Kᵀ scaled, masked, softmax per row (copied into {@code probs}
     * when it is not null), then out = P V. Tasks over heads and blocks keep both cores busy
     * with no product split across threads, and a block's scores never leave the cache.
     */
    private static void products(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                                 int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        int width = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        PackedWeights[] keys = new PackedWeights[heads];
        PackedWeights[] values = new PackedWeights[heads];
        // With 64-float heads (four vectors) P V runs best as rows of values summed in registers;
        // as a product its 64 columns would fill one and a third 48-wide panels.
        boolean rowValues = headDim == 4 * L;
        float[][] valueRows = new float[heads][];
        loop.forRange(heads, 1, (h0, h1) -> {
            for (int h = h0; h < h1; h++) {
                int col = h * headDim;
                float[] kh = new float[tk * headDim];
                float[] vt = rowValues ? null : new float[headDim * tk];
                for (int j = 0; j < tk; j++) {
                    System.arraycopy(k, j * width + col, kh, j * headDim, headDim);
                    for (int d = 0; vt != null && d < headDim; d++) {
                        vt[d * tk + j] = v[j * width + col + d];
                    }
                }
                // Keys as weights: S = Q_h (rows x dh) times K_h (tk x dh) transposed; values as
                // weights: out_h = P (rows x tk) times V_h^T (dh x tk) transposed.
                keys[h] = new PackedWeights(new F32Weights(tk, headDim, kh));
                if (rowValues) {
                    float[] vh = new float[tk * headDim];
                    for (int j = 0; j < tk; j++) {
                        System.arraycopy(v, j * width + col, vh, j * headDim, headDim);
                    }
                    valueRows[h] = vh;
                } else {
                    values[h] = new PackedWeights(new F32Weights(headDim, tk, vt));
                }
            }
        });
        int blocks = (tq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        loop.forRange(heads * blocks, 1, (from, to) -> {
            float[] qb = new float[QUERY_BLOCK * headDim];
            float[] scores = new float[QUERY_BLOCK * tk];
            float[] ob = new float[QUERY_BLOCK * headDim];
            float[] inverseSums = new float[QUERY_BLOCK];
            for (int task = from; task < to; task++) {
                int h = task / blocks;
                int i0 = (task % blocks) * QUERY_BLOCK;
                int rows = Math.min(QUERY_BLOCK, tq - i0);
                int col = h * headDim;
                // The scale goes into the queries (headDim values a row, not tk), and each row's
                // normalisation into its output (headDim values, not tk): a row of scores is then
                // walked twice (max, then exp and sum) instead of four times.
                for (int r = 0; r < rows; r++) {
                    scaledCopy(q, (i0 + r) * width + col, qb, r * headDim, headDim, scale);
                }
                Gemm.multiply(SERIAL, qb, rows, keys[h], null, scores);
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r;
                    int last = causal ? Math.min(tk - 1, qPosition + i) : tk - 1;
                    int base = r * tk;
                    for (int j = last + 1; j < tk; j++) {
                        scores[base + j] = 0f;
                    }
                    inverseSums[r] = 1f / VectorMath.expRow(scores, base, last + 1);
                    if (probs != null) {
                        scaledCopy(scores, base, probs, (h * tq + i) * tk, tk, inverseSums[r]);
                    }
                }
                if (rowValues) {
                    for (int r = 0; r < rows; r += 4) {
                        weightedRows(scores, r, Math.min(4, rows - r), tk, valueRows[h], ob);
                    }
                } else {
                    Gemm.multiply(SERIAL, scores, rows, values[h], null, ob);
                }
                for (int r = 0; r < rows; r++) {
                    scaledCopy(ob, r * headDim, out, (i0 + r) * width + col, headDim, inverseSums[r]);
                }
            }
        });
    }

    /** {@code dst[dstOff ..] = src[srcOff ..] * factor}, {@code n} values. */
    private static void scaledCopy(float[] src, int srcOff, float[] dst, int dstOff, int n, float factor) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, src, srcOff + i).mul(factor).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i] * factor;
        }
    }

    /**
     * {@code out} rows {@code r .. r+count} (at most four) = their probability rows times the
     * head's value rows ({@code tk x 64}): sixteen accumulators, each value row loaded once for
     * all four query rows.
     */
    private static void weightedRows(float[] p, int r, int count, int tk, float[] vh, float[] out) {
        int p0 = r * tk;
        int p1 = (r + Math.min(1, count - 1)) * tk;
        int p2 = (r + Math.min(2, count - 1)) * tk;
        int p3 = (r + Math.min(3, count - 1)) * tk;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int j = 0; j < tk; j++) {
            int base = j * 4 * L;
            FloatVector v0 = FloatVector.fromArray(F, vh, base);
            FloatVector v1 = FloatVector.fromArray(F, vh, base + L);
            FloatVector v2 = FloatVector.fromArray(F, vh, base + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, vh, base + 3 * L);
            FloatVector b = FloatVector.broadcast(F, p[p0 + j]);
            a00 = v0.fma(b, a00);
            a01 = v1.fma(b, a01);
            a02 = v2.fma(b, a02);
            a03 = v3.fma(b, a03);
            b = FloatVector.broadcast(F, p[p1 + j]);
            a10 = v0.fma(b, a10);
            a11 = v1.fma(b, a11);
            a12 = v2.fma(b, a12);
            a13 = v3.fma(b, a13);
            b = FloatVector.broadcast(F, p[p2 + j]);
            a20 = v0.fma(b, a20);
            a21 = v1.fma(b, a21);
            a22 = v2.fma(b, a22);
            a23 = v3.fma(b, a23);
            b = FloatVector.broadcast(F, p[p3 + j]);
            a30 = v0.fma(b, a30);
            a31 = v1.fma(b, a31);
            a32 = v2.fma(b, a32);
            a33 = v3.fma(b, a33);
        }
        // Rows past count were computed from a repeated row and are not stored.
        AttentionRows.store(a00, a01, a02, a03, out, r * 4 * L);
        if (count > 1) {
            AttentionRows.store(a10, a11, a12, a13, out, (r + 1) * 4 * L);
        }
        if (count > 2) {
            AttentionRows.store(a20, a21, a22, a23, out, (r + 2) * 4 * L);
        }
        if (count > 3) {
            AttentionRows.store(a30, a31, a32, a33, out, (r + 3) * 4 * L);
        }
    }

}
