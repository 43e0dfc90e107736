package io.parley.kernels.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The reference attention kernel on the JVM, per head and block of queries. Scores are dot
 * products of a query with each key; with many queries (an encoder) the head's keys are first
 * transposed, so that a query's scores come from one vectorised pass over positions instead of
 * one reduction per key. Values are accumulated with the weights as scalars times value rows.
 */
final class JvmAttention {

    private static final VectorSpecies<Float> F = Gemm.F;
    private static final int L = F.length();
    /** From this many queries per block, transposing the head's keys pays off. */
    private static final int TRANSPOSE_FROM = 16;

    private JvmAttention() {
    }

    static void run(ParallelLoop loop, float[] q, float[] k, float[] v, float[] out, float[] probs,
                    int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
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
