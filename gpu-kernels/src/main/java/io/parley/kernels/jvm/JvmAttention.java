package io.parley.kernels.jvm;

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

    static void run(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                    int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        if (tq >= GEMM_FROM) {
            products(loop, q, k, v, out, probs, heads, headDim, tq, tk, qPosition, causal);
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
                for (int i = i0; i < i1; i++) {
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

    /** Per head: S = Q Kᵀ scaled, masked, softmax per row (into probs), then out = P V. */
    private static void products(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                                 int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        int width = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] qh = new float[tq * headDim];
        float[] kh = new float[tk * headDim];
        float[] vt = new float[headDim * tk];
        float[] oh = new float[tq * headDim];
        float[] scores = new float[tq * tk];
        for (int h = 0; h < heads; h++) {
            int col = h * headDim;
            for (int i = 0; i < tq; i++) {
                System.arraycopy(q, i * width + col, qh, i * headDim, headDim);
            }
            for (int j = 0; j < tk; j++) {
                System.arraycopy(k, j * width + col, kh, j * headDim, headDim);
                for (int d = 0; d < headDim; d++) {
                    vt[d * tk + j] = v[j * width + col + d];
                }
            }
            // Keys as weights: S[tq x tk] = Q_h (tq x dh) times K_h (tk x dh) transposed.
            Gemm.multiply(loop, qh, tq, new PackedWeights(new io.parley.kernels.tensor.F32Weights(tk, headDim, kh)),
                    null, scores);
            int row0 = h * tq * tk;
            loop.forRange(tq, 16, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int last = causal ? Math.min(tk - 1, qPosition + i) : tk - 1;
                    int base = i * tk;
                    int j = 0;
                    for (; j <= last + 1 - L; j += L) {
                        FloatVector.fromArray(F, scores, base + j).mul(scale).intoArray(scores, base + j);
                    }
                    for (; j <= last; j++) {
                        scores[base + j] *= scale;
                    }
                    for (j = last + 1; j < tk; j++) {
                        scores[base + j] = 0f;
                    }
                    JvmAccelerator.softmaxRow(scores, base, last + 1);
                    System.arraycopy(scores, base, probs, row0 + base, tk);
                }
            });
            // Values as weights: out_h[tq x dh] = P (tq x tk) times V_hᵀ (dh x tk) transposed.
            Gemm.multiply(loop, scores, tq, new PackedWeights(new io.parley.kernels.tensor.F32Weights(headDim, tk, vt)),
                    null, oh);
            for (int i = 0; i < tq; i++) {
                System.arraycopy(oh, i * headDim, out, i * width + col, headDim);
            }
        }
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
