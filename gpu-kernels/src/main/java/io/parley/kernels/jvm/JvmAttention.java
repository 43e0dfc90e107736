package io.parley.kernels.jvm;

import io.parley.kernels.tensor.F32Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The reference attention kernel on the JVM. With many queries (an encoder, a prompt), each
 * head is two matrix products on the {@link Gemm} micro-kernel: scores {@code Q Kᵀ}, a softmax
 * per row, then {@code P V}; the head's keys and values are packed as weights for it. With few
 * queries (a decoder step) each query's scores are dot products over the cache and its output a
 * weighted sum of value rows, per head, in parallel across heads.
 */
final class JvmAttention {

    private static final VectorSpecies<Float> F = Gemm.F;
    private static final int L = F.length();
    /** From this many queries per block, transposing the head's keys pays off. */
    private static final int TRANSPOSE_FROM = 16;

    private JvmAttention() {
    }

    /** From this many queries, the matrix-product path. */
    private static final int GEMM_FROM = 32;
    /** Products inside a task run on the task's own thread. */
    private static final ParallelLoop SERIAL = new ParallelLoop(1);

    /** @param probs receives the weights, {@code heads x tq x tk}; null when they are not wanted */
    static void run(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                    int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        if (tq >= GEMM_FROM) {
            products(loop, q, k, v, out, probs, heads, headDim, tq, tk, qPosition, causal);
            return;
        }
        if (probs == null) {
            // Few queries: the weights are the working space.
            run(loop, q, k, v, out, new float[heads * tq * tk], heads, headDim, tq, tk, qPosition, causal);
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
                boolean transpose = i1 - i0 >= TRANSPOSE_FROM;
                if (transpose && transposedHead != h) {
                    keysT = transposeHead(k, h, headDim, width, tk, keysT);
                    transposedHead = h;
                }
                int first = i0;
                if (!causal && !transpose && headDim == 4 * L && i1 - first == 5) {
                    // A beam of five (Whisper's usual beam): all five in one pass.
                    int row = (h * tq + first) * tk;
                    int qOff = first * width + h * headDim;
                    scores64x5(q, qOff, width, k, h * headDim, tk, probs, row, scale);
                    for (int r = 0; r < 5; r++) {
                        JvmAccelerator.softmaxRow(probs, row + r * tk, tk);
                    }
                    weighted64x5(probs, row, tk, v, width, h * headDim, out, qOff);
                    first = i1;
                }
                if (!causal && !transpose && headDim == 4 * L) {
                    // Queries four at a time over the same keys and values (a beam's hypotheses
                    // over their shared window): each key and value row is read once for four.
                    for (; first + 4 <= i1; first += 4) {
                        int row = (h * tq + first) * tk;
                        int qOff = first * width + h * headDim;
                        scores64x4(q, qOff, width, k, h * headDim, tk, probs, row, scale);
                        for (int r = 0; r < 4; r++) {
                            JvmAccelerator.softmaxRow(probs, row + r * tk, tk);
                        }
                        weighted64x4(probs, row, tk, v, width, h * headDim, out, qOff);
                    }
                }
                for (int i = first; i < i1; i++) {
                    int row = (h * tq + i) * tk;
                    int last = causal ? Math.min(tk - 1, qPosition + i) : tk - 1;
                    int qOff = i * width + h * headDim;
                    if (transpose) {
                        scoresTransposed(q, qOff, keysT, headDim, tk, last + 1, probs, row, scale);
                    } else if (headDim == 4 * L) {
                        scores64(q, qOff, k, width, h * headDim, last + 1, probs, row, scale);
                    } else {
                        for (int j = 0; j <= last; j++) {
                            probs[row + j] = dot(q, qOff, k, j * width + h * headDim, headDim) * scale;
                        }
                    }
                    for (int j = last + 1; j < tk; j++) {
                        probs[row + j] = 0f;
                    }
                    JvmAccelerator.softmaxRow(probs, row, last + 1);
                    weightedValues(probs, row, v, width, h * headDim, headDim, last + 1, out, qOff);
                }
            }
        });
    }

    /** Per thread: one head's queries, keys, values, output and weights, as f32 rows of their own. */
    private static final ThreadLocal<float[][]> HEAD_SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

    /**
     * Attention whose keys and values are f16 bits ({@code short[]}, a cross-attention cache)
     * or floats ({@code float[]}), head by head in parallel: each head's keys and values are
     * widened into f32 rows of the thread's own (tk x headDim, in L2 for a 30 s window), and the
     * f32 kernels above run on that one head. The cache takes half the memory and half the bytes
     * per pass; the widening costs a few operations per sixteen values, which several queries
     * (a beam's hypotheses) share. Widening inside the score and value loops instead was slower:
     * the conversions then compete with the multiply-adds for the same registers and ports.
     */
    static void runPerHead(ParallelLoop loop, float[] q, Object k, Object v, float[] out, float[] probs,
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
                run(SERIAL, qh, kh, vh, oh, ph, 1, headDim, tq, tk, qPosition, causal);
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
                    inverseSums[r] = 1f / JvmAccelerator.expRow(scores, base, last + 1);
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
        store(a00, a01, a02, a03, out, r * 4 * L);
        if (count > 1) {
            store(a10, a11, a12, a13, out, (r + 1) * 4 * L);
        }
        if (count > 2) {
            store(a20, a21, a22, a23, out, (r + 2) * 4 * L);
        }
        if (count > 3) {
            store(a30, a31, a32, a33, out, (r + 3) * 4 * L);
        }
    }

    private static void store(FloatVector c0, FloatVector c1, FloatVector c2, FloatVector c3, float[] out, int o) {
        c0.intoArray(out, o);
        c1.intoArray(out, o + L);
        c2.intoArray(out, o + 2 * L);
        c3.intoArray(out, o + 3 * L);
    }

    private static float[] transposeHead(float[] k, int h, int headDim, int width, int tk, float[] reuse) {
        float[] t = reuse != null && reuse.length >= headDim * tk ? reuse : new float[headDim * tk];
        for (int j = 0; j < tk; j++) {
            int src = j * width + h * headDim;
            for (int d = 0; d < headDim; d++) {
                t[d * tk + j] = k[src + d];
            }
        }
        return t;
    }

    private static void scoresTransposed(float[] q, int qOff, float[] keysT, int headDim, int tk, int count,
                                         float[] probs, int row, float scale) {
        int j = 0;
        for (; j <= count - L; j += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int d = 0; d < headDim; d++) {
                acc = FloatVector.fromArray(F, keysT, d * tk + j).fma(FloatVector.broadcast(F, q[qOff + d]), acc);
            }
            acc.mul(scale).intoArray(probs, row + j);
        }
        for (; j < count; j++) {
            float s = 0f;
            for (int d = 0; d < headDim; d++) {
                s += q[qOff + d] * keysT[d * tk + j];
            }
            probs[row + j] = s * scale;
        }
    }

    /**
     * Scores of one 64-float query against {@code count} keys: the query stays in four
     * registers and each key takes four loads, three multiply-adds and one horizontal sum.
     */
    private static void scores64(float[] q, int qOff, float[] k, int width, int kOff, int count, float[] probs,
                                 int row, float scale) {
        FloatVector q0 = FloatVector.fromArray(F, q, qOff);
        FloatVector q1 = FloatVector.fromArray(F, q, qOff + L);
        FloatVector q2 = FloatVector.fromArray(F, q, qOff + 2 * L);
        FloatVector q3 = FloatVector.fromArray(F, q, qOff + 3 * L);
        for (int j = 0; j < count; j++) {
            int base = j * width + kOff;
            FloatVector acc = FloatVector.fromArray(F, k, base).mul(q0);
            acc = FloatVector.fromArray(F, k, base + L).fma(q1, acc);
            acc = FloatVector.fromArray(F, k, base + 2 * L).fma(q2, acc);
            acc = FloatVector.fromArray(F, k, base + 3 * L).fma(q3, acc);
            probs[row + j] = acc.reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /** Scores of four 64-float queries (rows {@code width} apart) against all {@code tk} keys. */
    private static void scores64x4(float[] q, int qOff, int width, float[] k, int kOff, int tk, float[] probs,
                                   int row, float scale) {
        FloatVector q00 = FloatVector.fromArray(F, q, qOff), q01 = FloatVector.fromArray(F, q, qOff + L);
        FloatVector q02 = FloatVector.fromArray(F, q, qOff + 2 * L), q03 = FloatVector.fromArray(F, q, qOff + 3 * L);
        int o1 = qOff + width;
        FloatVector q10 = FloatVector.fromArray(F, q, o1), q11 = FloatVector.fromArray(F, q, o1 + L);
        FloatVector q12 = FloatVector.fromArray(F, q, o1 + 2 * L), q13 = FloatVector.fromArray(F, q, o1 + 3 * L);
        int o2 = qOff + 2 * width;
        FloatVector q20 = FloatVector.fromArray(F, q, o2), q21 = FloatVector.fromArray(F, q, o2 + L);
        FloatVector q22 = FloatVector.fromArray(F, q, o2 + 2 * L), q23 = FloatVector.fromArray(F, q, o2 + 3 * L);
        int o3 = qOff + 3 * width;
        FloatVector q30 = FloatVector.fromArray(F, q, o3), q31 = FloatVector.fromArray(F, q, o3 + L);
        FloatVector q32 = FloatVector.fromArray(F, q, o3 + 2 * L), q33 = FloatVector.fromArray(F, q, o3 + 3 * L);
        for (int j = 0; j < tk; j++) {
            int base = j * width + kOff;
            FloatVector k0 = FloatVector.fromArray(F, k, base);
            FloatVector k1 = FloatVector.fromArray(F, k, base + L);
            FloatVector k2 = FloatVector.fromArray(F, k, base + 2 * L);
            FloatVector k3 = FloatVector.fromArray(F, k, base + 3 * L);
            probs[row + j] = k3.fma(q03, k2.fma(q02, k1.fma(q01, k0.mul(q00))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + tk + j] = k3.fma(q13, k2.fma(q12, k1.fma(q11, k0.mul(q10))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + 2 * tk + j] = k3.fma(q23, k2.fma(q22, k1.fma(q21, k0.mul(q20))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + 3 * tk + j] = k3.fma(q33, k2.fma(q32, k1.fma(q31, k0.mul(q30))))
                    .reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /**
     * Scores of five 64-float queries (rows {@code width} apart) against all {@code tk} keys: 20
     * query registers, four for the key row, each key row read once for all five.
     */
    private static void scores64x5(float[] q, int qOff, int width, float[] k, int kOff, int tk, float[] probs,
                                   int row, float scale) {
        int o0 = qOff;
        FloatVector q00 = FloatVector.fromArray(F, q, o0), q01 = FloatVector.fromArray(F, q, o0 + L);
        FloatVector q02 = FloatVector.fromArray(F, q, o0 + 2 * L), q03 = FloatVector.fromArray(F, q, o0 + 3 * L);
        int o1 = qOff + 1 * width;
        FloatVector q10 = FloatVector.fromArray(F, q, o1), q11 = FloatVector.fromArray(F, q, o1 + L);
        FloatVector q12 = FloatVector.fromArray(F, q, o1 + 2 * L), q13 = FloatVector.fromArray(F, q, o1 + 3 * L);
        int o2 = qOff + 2 * width;
        FloatVector q20 = FloatVector.fromArray(F, q, o2), q21 = FloatVector.fromArray(F, q, o2 + L);
        FloatVector q22 = FloatVector.fromArray(F, q, o2 + 2 * L), q23 = FloatVector.fromArray(F, q, o2 + 3 * L);
        int o3 = qOff + 3 * width;
        FloatVector q30 = FloatVector.fromArray(F, q, o3), q31 = FloatVector.fromArray(F, q, o3 + L);
        FloatVector q32 = FloatVector.fromArray(F, q, o3 + 2 * L), q33 = FloatVector.fromArray(F, q, o3 + 3 * L);
        int o4 = qOff + 4 * width;
        FloatVector q40 = FloatVector.fromArray(F, q, o4), q41 = FloatVector.fromArray(F, q, o4 + L);
        FloatVector q42 = FloatVector.fromArray(F, q, o4 + 2 * L), q43 = FloatVector.fromArray(F, q, o4 + 3 * L);
        for (int j = 0; j < tk; j++) {
            int base = j * width + kOff;
            FloatVector k0 = FloatVector.fromArray(F, k, base);
            FloatVector k1 = FloatVector.fromArray(F, k, base + L);
            FloatVector k2 = FloatVector.fromArray(F, k, base + 2 * L);
            FloatVector k3 = FloatVector.fromArray(F, k, base + 3 * L);
            probs[row + j] = k3.fma(q03, k2.fma(q02, k1.fma(q01, k0.mul(q00))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + tk + j] = k3.fma(q13, k2.fma(q12, k1.fma(q11, k0.mul(q10))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + 2 * tk + j] = k3.fma(q23, k2.fma(q22, k1.fma(q21, k0.mul(q20))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + 3 * tk + j] = k3.fma(q33, k2.fma(q32, k1.fma(q31, k0.mul(q30))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[row + 4 * tk + j] = k3.fma(q43, k2.fma(q42, k1.fma(q41, k0.mul(q40))))
                    .reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /** Five output rows of 64 floats: the weighted sums of the value rows under five rows of weights. */
    private static void weighted64x5(float[] probs, int row, int tk, float[] v, int width, int vOff, float[] out,
                                     int outOff) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        FloatVector a40 = z, a41 = z, a42 = z, a43 = z;
        for (int j = 0; j < tk; j++) {
            int base = j * width + vOff;
            FloatVector v0 = FloatVector.fromArray(F, v, base);
            FloatVector v1 = FloatVector.fromArray(F, v, base + L);
            FloatVector v2 = FloatVector.fromArray(F, v, base + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, v, base + 3 * L);
            FloatVector p = FloatVector.broadcast(F, probs[row + j]);
            a00 = v0.fma(p, a00); a01 = v1.fma(p, a01); a02 = v2.fma(p, a02); a03 = v3.fma(p, a03);
            p = FloatVector.broadcast(F, probs[row + tk + j]);
            a10 = v0.fma(p, a10); a11 = v1.fma(p, a11); a12 = v2.fma(p, a12); a13 = v3.fma(p, a13);
            p = FloatVector.broadcast(F, probs[row + 2 * tk + j]);
            a20 = v0.fma(p, a20); a21 = v1.fma(p, a21); a22 = v2.fma(p, a22); a23 = v3.fma(p, a23);
            p = FloatVector.broadcast(F, probs[row + 3 * tk + j]);
            a30 = v0.fma(p, a30); a31 = v1.fma(p, a31); a32 = v2.fma(p, a32); a33 = v3.fma(p, a33);
            p = FloatVector.broadcast(F, probs[row + 4 * tk + j]);
            a40 = v0.fma(p, a40); a41 = v1.fma(p, a41); a42 = v2.fma(p, a42); a43 = v3.fma(p, a43);
        }
        store(a00, a01, a02, a03, out, outOff);
        store(a10, a11, a12, a13, out, outOff + width);
        store(a20, a21, a22, a23, out, outOff + 2 * width);
        store(a30, a31, a32, a33, out, outOff + 3 * width);
        store(a40, a41, a42, a43, out, outOff + 4 * width);
    }

    /** Four output rows of 64 floats: the weighted sums of the value rows under four rows of weights. */
    private static void weighted64x4(float[] probs, int row, int tk, float[] v, int width, int vOff, float[] out,
                                     int outOff) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        for (int j = 0; j < tk; j++) {
            int base = j * width + vOff;
            FloatVector v0 = FloatVector.fromArray(F, v, base);
            FloatVector v1 = FloatVector.fromArray(F, v, base + L);
            FloatVector v2 = FloatVector.fromArray(F, v, base + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, v, base + 3 * L);
            FloatVector p = FloatVector.broadcast(F, probs[row + j]);
            a00 = v0.fma(p, a00); a01 = v1.fma(p, a01); a02 = v2.fma(p, a02); a03 = v3.fma(p, a03);
            p = FloatVector.broadcast(F, probs[row + tk + j]);
            a10 = v0.fma(p, a10); a11 = v1.fma(p, a11); a12 = v2.fma(p, a12); a13 = v3.fma(p, a13);
            p = FloatVector.broadcast(F, probs[row + 2 * tk + j]);
            a20 = v0.fma(p, a20); a21 = v1.fma(p, a21); a22 = v2.fma(p, a22); a23 = v3.fma(p, a23);
            p = FloatVector.broadcast(F, probs[row + 3 * tk + j]);
            a30 = v0.fma(p, a30); a31 = v1.fma(p, a31); a32 = v2.fma(p, a32); a33 = v3.fma(p, a33);
        }
        store(a00, a01, a02, a03, out, outOff);
        store(a10, a11, a12, a13, out, outOff + width);
        store(a20, a21, a22, a23, out, outOff + 2 * width);
        store(a30, a31, a32, a33, out, outOff + 3 * width);
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - L; i += L) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    private static void weightedValues(float[] probs, int row, float[] v, int width, int vOff, int headDim, int count,
                                       float[] out, int outOff) {
        if (headDim == 4 * L) {
            // The common head size (64 floats with 512-bit vectors): walk the value rows once,
            // with the whole output row in four registers.
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < count; j++) {
                FloatVector p = FloatVector.broadcast(F, probs[row + j]);
                int base = j * width + vOff;
                a0 = FloatVector.fromArray(F, v, base).fma(p, a0);
                a1 = FloatVector.fromArray(F, v, base + L).fma(p, a1);
                a2 = FloatVector.fromArray(F, v, base + 2 * L).fma(p, a2);
                a3 = FloatVector.fromArray(F, v, base + 3 * L).fma(p, a3);
            }
            a0.intoArray(out, outOff);
            a1.intoArray(out, outOff + L);
            a2.intoArray(out, outOff + 2 * L);
            a3.intoArray(out, outOff + 3 * L);
            return;
        }
        int d = 0;
        for (; d <= headDim - L; d += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int j = 0; j < count; j++) {
                acc = FloatVector.fromArray(F, v, j * width + vOff + d).fma(FloatVector.broadcast(F, probs[row + j]), acc);
            }
            acc.intoArray(out, outOff + d);
        }
        for (; d < headDim; d++) {
            float acc = 0f;
            for (int j = 0; j < count; j++) {
                acc += probs[row + j] * v[j * width + vOff + d];
            }
            out[outOff + d] = acc;
        }
    }
}
