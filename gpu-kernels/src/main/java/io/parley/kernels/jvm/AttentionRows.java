package io.parley.kernels.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JVM attention's kernels for a few queries (a decoder step, a beam's hypotheses): a query's
 * scores against rows of keys, and weighted sums of rows of values, for one query or a group of
 * up to five per pass over the keys and values ({@code width} apart, one head's columns at an
 * offset), with 64-float heads held in four vector registers per query.
 */
final class AttentionRows {

    private static final VectorSpecies<Float> F = Gemm.F;
    private static final int L = F.length();

    private AttentionRows() {
    }

    static void store(FloatVector c0, FloatVector c1, FloatVector c2, FloatVector c3, float[] out, int o) {
        c0.intoArray(out, o);
        c1.intoArray(out, o + L);
        c2.intoArray(out, o + 2 * L);
        c3.intoArray(out, o + 3 * L);
    }

    static float[] transposeHead(float[] k, int h, int headDim, int width, int tk, float[] reuse) {
        float[] t = reuse != null && reuse.length >= headDim * tk ? reuse : new float[headDim * tk];
        for (int j = 0; j < tk; j++) {
            int src = j * width + h * headDim;
            for (int d = 0; d < headDim; d++) {
                t[d * tk + j] = k[src + d];
            }
        }
        return t;
    }

    static void scoresTransposed(float[] q, int qOff, float[] keysT, int headDim, int tk, int count,
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
    static void scores64(float[] q, int qOff, float[] k, int width, int kOff, int count, float[] probs,
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
    /**
     * Scores of five 64-float queries (rows {@code width} apart) against all {@code tk} keys: 20
     * query registers, four for the key row, each key row read once for all five.
     */
    /**
     * Scores of a group of two to five 64-float queries (rows {@code width} apart) against all
     * {@code tk} keys, each key row read once for the group: 20 query registers, four for the key
     * row. A group of fewer than five repeats its last query, whose scores land on its own row
     * again (the same values), so the kernel is one for every group size; its weights rows are
     * {@code tk} apart from {@code row}.
     */
    static void scoresGroup(float[] q, int qOff, int width, int count, float[] k, int kOff, int tk, float[] probs,
                            int row, float scale) {
        int o0 = qOff;
        int p0 = row;
        int o1 = qOff + Math.min(1, count - 1) * width;
        int p1 = row + Math.min(1, count - 1) * tk;
        int o2 = qOff + Math.min(2, count - 1) * width;
        int p2 = row + Math.min(2, count - 1) * tk;
        int o3 = qOff + Math.min(3, count - 1) * width;
        int p3 = row + Math.min(3, count - 1) * tk;
        int o4 = qOff + Math.min(4, count - 1) * width;
        int p4 = row + Math.min(4, count - 1) * tk;
        FloatVector q00 = FloatVector.fromArray(F, q, o0), q01 = FloatVector.fromArray(F, q, o0 + L);
        FloatVector q02 = FloatVector.fromArray(F, q, o0 + 2 * L), q03 = FloatVector.fromArray(F, q, o0 + 3 * L);
        FloatVector q10 = FloatVector.fromArray(F, q, o1), q11 = FloatVector.fromArray(F, q, o1 + L);
        FloatVector q12 = FloatVector.fromArray(F, q, o1 + 2 * L), q13 = FloatVector.fromArray(F, q, o1 + 3 * L);
        FloatVector q20 = FloatVector.fromArray(F, q, o2), q21 = FloatVector.fromArray(F, q, o2 + L);
        FloatVector q22 = FloatVector.fromArray(F, q, o2 + 2 * L), q23 = FloatVector.fromArray(F, q, o2 + 3 * L);
        FloatVector q30 = FloatVector.fromArray(F, q, o3), q31 = FloatVector.fromArray(F, q, o3 + L);
        FloatVector q32 = FloatVector.fromArray(F, q, o3 + 2 * L), q33 = FloatVector.fromArray(F, q, o3 + 3 * L);
        FloatVector q40 = FloatVector.fromArray(F, q, o4), q41 = FloatVector.fromArray(F, q, o4 + L);
        FloatVector q42 = FloatVector.fromArray(F, q, o4 + 2 * L), q43 = FloatVector.fromArray(F, q, o4 + 3 * L);
        for (int j = 0; j < tk; j++) {
            int base = j * width + kOff;
            FloatVector k0 = FloatVector.fromArray(F, k, base);
            FloatVector k1 = FloatVector.fromArray(F, k, base + L);
            FloatVector k2 = FloatVector.fromArray(F, k, base + 2 * L);
            FloatVector k3 = FloatVector.fromArray(F, k, base + 3 * L);
            probs[p0 + j] = k3.fma(q03, k2.fma(q02, k1.fma(q01, k0.mul(q00))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[p1 + j] = k3.fma(q13, k2.fma(q12, k1.fma(q11, k0.mul(q10))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[p2 + j] = k3.fma(q23, k2.fma(q22, k1.fma(q21, k0.mul(q20))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[p3 + j] = k3.fma(q33, k2.fma(q32, k1.fma(q31, k0.mul(q30))))
                    .reduceLanes(VectorOperators.ADD) * scale;
            probs[p4 + j] = k3.fma(q43, k2.fma(q42, k1.fma(q41, k0.mul(q40))))
                    .reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /**
     * The output rows of a group of two to five queries: the weighted sums of the value rows
     * under the group's rows of weights (as {@link #scoresGroup} lays them out), each value row
     * read once for the group.
     */
    static void weightedGroup(float[] probs, int row, int tk, int count, float[] v, int width, int vOff, float[] out,
                              int outOff) {
        int p0 = row;
        int p1 = row + Math.min(1, count - 1) * tk;
        int p2 = row + Math.min(2, count - 1) * tk;
        int p3 = row + Math.min(3, count - 1) * tk;
        int p4 = row + Math.min(4, count - 1) * tk;
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
            FloatVector w = FloatVector.broadcast(F, probs[p0 + j]);
            a00 = v0.fma(w, a00); a01 = v1.fma(w, a01); a02 = v2.fma(w, a02); a03 = v3.fma(w, a03);
            w = FloatVector.broadcast(F, probs[p1 + j]);
            a10 = v0.fma(w, a10); a11 = v1.fma(w, a11); a12 = v2.fma(w, a12); a13 = v3.fma(w, a13);
            w = FloatVector.broadcast(F, probs[p2 + j]);
            a20 = v0.fma(w, a20); a21 = v1.fma(w, a21); a22 = v2.fma(w, a22); a23 = v3.fma(w, a23);
            w = FloatVector.broadcast(F, probs[p3 + j]);
            a30 = v0.fma(w, a30); a31 = v1.fma(w, a31); a32 = v2.fma(w, a32); a33 = v3.fma(w, a33);
            w = FloatVector.broadcast(F, probs[p4 + j]);
            a40 = v0.fma(w, a40); a41 = v1.fma(w, a41); a42 = v2.fma(w, a42); a43 = v3.fma(w, a43);
        }
        // A repeated query's output is its own again: the same values to the same row.
        store(a00, a01, a02, a03, out, outOff);
        store(a10, a11, a12, a13, out, outOff + Math.min(1, count - 1) * width);
        store(a20, a21, a22, a23, out, outOff + Math.min(2, count - 1) * width);
        store(a30, a31, a32, a33, out, outOff + Math.min(3, count - 1) * width);
        store(a40, a41, a42, a43, out, outOff + Math.min(4, count - 1) * width);
    }

    static void weightedValues(float[] probs, int row, float[] v, int width, int vOff, int headDim, int count,
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
