package io.parley.kernels.jvm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y = x wᵀ + bias} on the JVM: the reference {@code MatmulKernels} in the shape of a
 * BLAS micro-kernel. Weights are pre-packed in panels of {@link #NR} outputs
 * ({@link PackedWeights}); activations are packed per block of {@link #MC} rows and
 * {@link #KC} of depth, so that the {@link #MR} x {@link #NR} tile of sums stays in vector
 * registers while one panel slice streams from L1 and one row slice from L2.
 *
 * <p>f16 and int8 weights are widened to f32 a panel block at a time into a per-thread buffer
 * (once per block of rows, which is cheap next to the arithmetic when there are many rows).
 * With few rows (a decoder step, or a few streams batched) there is nothing to amortise over:
 * the weights stream once, widened on the fly, and memory bandwidth is the limit.
 */
final class Gemm {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Vectors per row of a tile. */
    static final int NV = 3;
    /** Outputs per panel and tile. */
    static final int NR = NV * L;
    /** Rows per tile: 8 x 3 zmm accumulators with 512-bit vectors, 4 x 3 ymm with 256-bit. */
    static final int MR = L >= 16 ? 8 : 4;
    /**
     * Depth per block: a panel slice of KC x NR floats (24 KiB with 512-bit vectors) stays in L1
     * while the rows of a block stream past it. Measured on the benchmark's shapes: 128 beats 256,
     * whose 48 KiB slices fill a 48 KiB L1 and are evicted by the rows.
     */
    static final int KC = 128;
    /**
     * Rows per block of packed activations (384 x 128 floats, 192 KiB, in L2). Every block sweeps
     * all the weights once, so larger blocks mean fewer sweeps; at 96 rows two threads spent a
     * third of their time waiting on the shared cache.
     */
    static final int MC = 384;
    /** Up to this many rows, weights stream once with no packing. */
    static final int STREAM_ROWS = 8;
    /**
     * With this many rows per thread or more, the rows are split among the threads even when they
     * fit one block. A decoder pass of 64 to 130 tokens (a prompt, a long draft) otherwise had
     * its panels split only: each task packed all the rows again, and a 512-wide product's 11
     * panels went 5 and 6 to the two threads. Over 129 rows (int8, two cores) a 512 x 512 product
     * ran at 167-172 GFLOP/s this way against 123, a 2048 x 512 one at 196-198 against 163; the
     * wider ones and 32 rows gained nothing beyond noise.
     */
    static final int SPLIT_ROWS_FROM = 32;

    private static final VectorSpecies<Short> H = L == 16 ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = L == 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** 2^112: rescales the exponent of an f16 shifted into f32 position (normals and subnormals alike). */
    private static final float HALF_EXPONENT_FIX = 0x1p112f;

    private static final ThreadLocal<float[]> PACKED_A = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> WIDENED_B = ThreadLocal.withInitial(() -> new float[KC * NR]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private Gemm() {
    }

    static void multiply(ParallelLoop loop, float[] x, int m, PackedWeights w, float[] bias, float[] y) {
        multiply(loop, x, m, w, bias, y, false);
    }

    /**
     * The product, with the bias (and, if {@code gelu}, GELU) applied to each tile as its last
     * depth block is stored: no further pass over {@code y}, which for an encoder's feed-forward
     * layer is 12 MB that would go to memory and back twice.
     */
    static void multiply(ParallelLoop loop, float[] x, int m, PackedWeights w, float[] bias, float[] y, boolean gelu) {
        Epilogue last = new Epilogue(bias, gelu);
        int k = w.cols;
        int n = w.rows;
        if (m <= STREAM_ROWS) {
            // Few rows: split the panels over threads; each streams its panels once.
            loop.forRange(w.panels, 2, (from, to) -> {
                for (int panel = from; panel < to; panel++) {
                    if (m > 4 && L >= 16) {
                        streamPanel8(x, 0, m, k, w, panel, y, n, last);
                    } else {
                        for (int i = 0; i < m; i += 4) {
                            streamPanel(x, i, Math.min(4, m - i), k, w, panel, y, n, last);
                        }
                    }
                }
            });
        } else {
            // Row blocks of equal size (a multiple of MR, at most MC), one per thread at least when
            // each gets enough rows, and enough tiles that every thread gets a fair share: split
            // the panels too when there are few row blocks.
            int rowBlocks = Math.max((m + MC - 1) / MC, Math.min(loop.threads(), m / SPLIT_ROWS_FROM));
            int rowsPerBlock = ((m + rowBlocks - 1) / rowBlocks + MR - 1) / MR * MR;
            int panelGroups = Math.max(1, Math.min(w.panels, (loop.threads() * 2 + rowBlocks - 1) / rowBlocks));
            int tiles = rowBlocks * panelGroups;
            loop.forRange(tiles, 1, (from, to) -> {
                for (int t = from; t < to; t++) {
                    int rb = t / panelGroups;
                    int pg = t % panelGroups;
                    int p0 = (int) ((long) w.panels * pg / panelGroups);
                    int p1 = (int) ((long) w.panels * (pg + 1) / panelGroups);
                    int r0 = rb * rowsPerBlock;
                    if (r0 < m) {
                        block(x, m, k, r0, Math.min(m, r0 + rowsPerBlock), w, p0, p1, y, n, last);
                    }
                }
            });
        }
    }

    /** What is applied to a tile's sums when its last depth block is stored: bias, then GELU. */
    record Epilogue(float[] bias, boolean gelu) {
        static final Epilogue NONE = new Epilogue(null, false);
    }

    // ---- many rows: packed blocks ----

    private static void block(float[] x, int m, int k, int r0, int r1, PackedWeights w, int p0, int p1,
                              float[] y, int n, Epilogue last) {
        float[] packedA = PACKED_A.get();
        float[] widened = WIDENED_B.get();
        float[] tile = TILE.get();
        int rows = r1 - r0;
        int tilesDown = (rows + MR - 1) / MR;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            packA(x, k, r0, rows, pc, kc, packedA);
            for (int panel = p0; panel < p1; panel++) {
                float[] b;
                int bOff;
                if (w.f32 != null) {
                    b = w.f32;
                    bOff = (panel * k + pc) * NR;
                } else {
                    widen(w, panel, pc, kc, widened);
                    b = widened;
                    bOff = 0;
                }
                int col0 = panel * NR;
                int cols = Math.min(NR, n - col0);
                for (int tr = 0; tr < tilesDown; tr++) {
                    int row0 = r0 + tr * MR;
                    int rowsHere = Math.min(MR, r1 - row0);
                    Epilogue epilogue = pc + kc >= k ? last : Epilogue.NONE;
                    if (MR == 8 && rowsHere == MR && cols == NR) {
                        kernel8x3(packedA, tr * MR * kc, b, bOff, kc, y, row0 * n + col0, n, pc > 0);
                        if (epilogue.bias() != null || epilogue.gelu()) {
                            finishTile(y, row0 * n + col0, n, col0, epilogue);
                        }
                        continue;
                    }
                    if (MR == 8) {
                        kernel8x3(packedA, tr * MR * kc, b, bOff, kc, tile, 0, NR, false);
                    } else {
                        kernel4x3(packedA, tr * MR * kc, b, bOff, kc, tile);
                    }
                    storeTile(tile, y, n, row0, rowsHere, col0, cols, pc > 0, epilogue);
                }
            }
        }
    }

    /** Rows {@code r0 .. r0+rows} of {@code x}, depth {@code pc .. pc+kc}, as MR-row slices, k-major; short slices zero-padded. */
    private static void packA(float[] x, int k, int r0, int rows, int pc, int kc, float[] out) {
        int tiles = (rows + MR - 1) / MR;
        for (int t = 0; t < tiles; t++) {
            int base = t * MR * kc;
            for (int r = 0; r < MR; r++) {
                int row = t * MR + r;
                if (row < rows) {
                    int src = (r0 + row) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        out[base + p * MR + r] = x[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        out[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** One panel's depth slice of f16 or int8 weights widened to f32, same layout. */
    private static void widen(PackedWeights w, int panel, int pc, int kc, float[] out) {
        int src = (panel * w.cols + pc) * NR;
        int count = kc * NR;
        if (w.f16 != null) {
            for (int i = 0; i < count; i += L) {
                halfToFloat(w.f16, src + i).intoArray(out, i);
            }
        } else {
            FloatVector s0 = FloatVector.fromArray(F, w.scales, panel * NR);
            FloatVector s1 = FloatVector.fromArray(F, w.scales, panel * NR + L);
            FloatVector s2 = FloatVector.fromArray(F, w.scales, panel * NR + 2 * L);
            for (int i = 0; i < count; i += NR) {
                byteToFloat(w.i8, src + i).mul(s0).intoArray(out, i);
                byteToFloat(w.i8, src + i + L).mul(s1).intoArray(out, i + L);
                byteToFloat(w.i8, src + i + 2 * L).mul(s2).intoArray(out, i + 2 * L);
            }
        }
    }

    /** L halves from {@code bits[off..]} as floats: shift into f32 position, fix the exponent by 2^112, restore the sign. */
    static FloatVector halfToFloat(short[] bits, int off) {
        IntVector h = (IntVector) ShortVector.fromArray(H, bits, off).convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        FloatVector f = magnitude.reinterpretAsFloats().mul(HALF_EXPONENT_FIX);
        return f.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    static FloatVector byteToFloat(byte[] bytes, int off) {
        return (FloatVector) ByteVector.fromArray(B, bytes, off).convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * An 8 x NR tile of sums over one depth block, stored at {@code y[yOff ..]} (rows {@code n}
     * apart), added to what is there when {@code add} (a later depth block). A full tile goes
     * straight into the output, so a depth block costs one load and one store of its sums
     * instead of also a round trip through a tile buffer.
     */
    private static void kernel8x3(float[] a, int aOff, float[] b, int bOff, int kc, float[] y, int yOff, int n,
                                  boolean add) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        FloatVector c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        if (add) {
            c00 = load(y, yOff); c01 = load(y, yOff + L); c02 = load(y, yOff + 2 * L);
            c10 = load(y, yOff + n); c11 = load(y, yOff + n + L); c12 = load(y, yOff + n + 2 * L);
            c20 = load(y, yOff + 2 * n); c21 = load(y, yOff + 2 * n + L); c22 = load(y, yOff + 2 * n + 2 * L);
            c30 = load(y, yOff + 3 * n); c31 = load(y, yOff + 3 * n + L); c32 = load(y, yOff + 3 * n + 2 * L);
            c40 = load(y, yOff + 4 * n); c41 = load(y, yOff + 4 * n + L); c42 = load(y, yOff + 4 * n + 2 * L);
            c50 = load(y, yOff + 5 * n); c51 = load(y, yOff + 5 * n + L); c52 = load(y, yOff + 5 * n + 2 * L);
            c60 = load(y, yOff + 6 * n); c61 = load(y, yOff + 6 * n + L); c62 = load(y, yOff + 6 * n + 2 * L);
            c70 = load(y, yOff + 7 * n); c71 = load(y, yOff + 7 * n + L); c72 = load(y, yOff + 7 * n + 2 * L);
        } else {
            c00 = FloatVector.zero(F); c01 = c00; c02 = c00;
            c10 = c00; c11 = c00; c12 = c00;
            c20 = c00; c21 = c00; c22 = c00;
            c30 = c00; c31 = c00; c32 = c00;
            c40 = c00; c41 = c00; c42 = c00;
            c50 = c00; c51 = c00; c52 = c00;
            c60 = c00; c61 = c00; c62 = c00;
            c70 = c00; c71 = c00; c72 = c00;
        }
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            int ai = aOff + p * 8;
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(F, a[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(F, a[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(F, a[ai + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61); c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(F, a[ai + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71); c72 = a7.fma(b2, c72);
        }
        c00.intoArray(y, yOff); c01.intoArray(y, yOff + L); c02.intoArray(y, yOff + 2 * L);
        c10.intoArray(y, yOff + n); c11.intoArray(y, yOff + n + L); c12.intoArray(y, yOff + n + 2 * L);
        c20.intoArray(y, yOff + 2 * n); c21.intoArray(y, yOff + 2 * n + L); c22.intoArray(y, yOff + 2 * n + 2 * L);
        c30.intoArray(y, yOff + 3 * n); c31.intoArray(y, yOff + 3 * n + L); c32.intoArray(y, yOff + 3 * n + 2 * L);
        c40.intoArray(y, yOff + 4 * n); c41.intoArray(y, yOff + 4 * n + L); c42.intoArray(y, yOff + 4 * n + 2 * L);
        c50.intoArray(y, yOff + 5 * n); c51.intoArray(y, yOff + 5 * n + L); c52.intoArray(y, yOff + 5 * n + 2 * L);
        c60.intoArray(y, yOff + 6 * n); c61.intoArray(y, yOff + 6 * n + L); c62.intoArray(y, yOff + 6 * n + 2 * L);
        c70.intoArray(y, yOff + 7 * n); c71.intoArray(y, yOff + 7 * n + L); c72.intoArray(y, yOff + 7 * n + 2 * L);
    }

    private static FloatVector load(float[] y, int off) {
        return FloatVector.fromArray(F, y, off);
    }

    /**
     * The epilogue over a full tile already in {@code y}, while it is still in L1. Kept out of
     * the kernel: GELU written out for 24 accumulators would make the kernel too large for C2.
     */
    private static void finishTile(float[] y, int yOff, int n, int col0, Epilogue epilogue) {
        float[] bias = epilogue.bias();
        boolean gelu = epilogue.gelu();
        for (int r = 0; r < MR; r++) {
            for (int c = 0; c < NR; c += L) {
                int at = yOff + r * n + c;
                epilogue(FloatVector.fromArray(F, y, at), bias, col0 + c, gelu).intoArray(y, at);
            }
        }
    }

    /** One vector of sums with its bias (at {@code biasOff}, when there is one) added, then GELU. */
    private static FloatVector epilogue(FloatVector t, float[] bias, int biasOff, boolean gelu) {
        if (bias != null) {
            t = t.add(FloatVector.fromArray(F, bias, biasOff));
        }
        return gelu ? VectorMath.gelu(t) : t;
    }

    /** The same with four rows, for 256-bit vectors (16 registers). */
    private static void kernel4x3(float[] a, int aOff, float[] b, int bOff, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            int ai = aOff + p * 4;
            FloatVector a0 = FloatVector.broadcast(F, a[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(F, a[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(F, a[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(F, a[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L); c32.intoArray(tile, 3 * NR + 2 * L);
    }

    /**
     * Writes (first depth block) or adds (later blocks) the valid part of a tile into {@code y},
     * applying {@code epilogue} (the last depth block's).
     */
    private static void storeTile(float[] tile, float[] y, int n, int row0, int rows, int col0, int cols, boolean add,
                                  Epilogue epilogue) {
        float[] bias = epilogue.bias();
        boolean gelu = epilogue.gelu();
        for (int r = 0; r < rows; r++) {
            int dst = (row0 + r) * n + col0;
            int src = r * NR;
            int c = 0;
            if (cols == NR) {
                for (; c < NR; c += L) {
                    FloatVector t = FloatVector.fromArray(F, tile, src + c);
                    if (add) {
                        t = t.add(FloatVector.fromArray(F, y, dst + c));
                    }
                    epilogue(t, bias, col0 + c, gelu).intoArray(y, dst + c);
                }
            } else {
                for (; c < cols; c++) {
                    float v = add ? y[dst + c] + tile[src + c] : tile[src + c];
                    if (bias != null) {
                        v += bias[col0 + c];
                    }
                    y[dst + c] = gelu ? VectorMath.gelu(v) : v;
                }
            }
        }
    }

    // ---- few rows: weights streamed once ----

    /**
     * Rows {@code i0 .. i0+rows} (at most 4) of {@code x} times one panel, whole depth: each
     * step reads one NR-wide weight row (widened on the fly) and uses it for every x row.
     */
    /** One vector of packed weights at {@code i}, as f32 (int8 weights still unscaled). */
    private static FloatVector weights(PackedWeights w, int i) {
        if (w.f32 != null) {
            return FloatVector.fromArray(F, w.f32, i);
        }
        return w.f16 != null ? halfToFloat(w.f16, i) : byteToFloat(w.i8, i);
    }

    private static void streamPanel(float[] x, int i0, int rows, int k, PackedWeights w, int panel, float[] y, int n,
                                    Epilogue last) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a10 = z, a11 = z, a12 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a30 = z, a31 = z, a32 = z;
        int base = panel * k * NR;
        int x0 = i0 * k;
        int x1 = x0 + (rows > 1 ? k : 0);
        int x2 = x0 + (rows > 2 ? 2 * k : 0);
        int x3 = x0 + (rows > 3 ? 3 * k : 0);
        for (int p = 0; p < k; p++) {
            int bi = base + p * NR;
            FloatVector b0 = weights(w, bi);
            FloatVector b1 = weights(w, bi + L);
            FloatVector b2 = weights(w, bi + 2 * L);
            FloatVector v0 = FloatVector.broadcast(F, x[x0 + p]);
            a00 = v0.fma(b0, a00); a01 = v0.fma(b1, a01); a02 = v0.fma(b2, a02);
            if (rows > 1) {
                FloatVector v1 = FloatVector.broadcast(F, x[x1 + p]);
                a10 = v1.fma(b0, a10); a11 = v1.fma(b1, a11); a12 = v1.fma(b2, a12);
                if (rows > 2) {
                    FloatVector v2 = FloatVector.broadcast(F, x[x2 + p]);
                    a20 = v2.fma(b0, a20); a21 = v2.fma(b1, a21); a22 = v2.fma(b2, a22);
                    if (rows > 3) {
                        FloatVector v3 = FloatVector.broadcast(F, x[x3 + p]);
                        a30 = v3.fma(b0, a30); a31 = v3.fma(b1, a31); a32 = v3.fma(b2, a32);
                    }
                }
            }
        }
        float[] tile = TILE.get();
        if (w.scales != null) {
            FloatVector s0 = FloatVector.fromArray(F, w.scales, panel * NR);
            FloatVector s1 = FloatVector.fromArray(F, w.scales, panel * NR + L);
            FloatVector s2 = FloatVector.fromArray(F, w.scales, panel * NR + 2 * L);
            a00 = a00.mul(s0); a01 = a01.mul(s1); a02 = a02.mul(s2);
            a10 = a10.mul(s0); a11 = a11.mul(s1); a12 = a12.mul(s2);
            a20 = a20.mul(s0); a21 = a21.mul(s1); a22 = a22.mul(s2);
            a30 = a30.mul(s0); a31 = a31.mul(s1); a32 = a32.mul(s2);
        }
        a00.intoArray(tile, 0); a01.intoArray(tile, L); a02.intoArray(tile, 2 * L);
        a10.intoArray(tile, NR); a11.intoArray(tile, NR + L); a12.intoArray(tile, NR + 2 * L);
        a20.intoArray(tile, 2 * NR); a21.intoArray(tile, 2 * NR + L); a22.intoArray(tile, 2 * NR + 2 * L);
        a30.intoArray(tile, 3 * NR); a31.intoArray(tile, 3 * NR + L); a32.intoArray(tile, 3 * NR + 2 * L);
        int col0 = panel * NR;
        storeTile(tile, y, n, i0, rows, col0, Math.min(NR, n - col0), false, last);
    }

    /**
     * Five to eight rows against one panel, the weights converted once for all of them (24
     * accumulators, three weight vectors and a broadcast: 28 of AVX-512's 32 registers). Beam
     * search and batched streams multiply a handful of rows at every decoder step; through the
     * four-row kernel twice, each step would convert every weight twice.
     */
    private static void streamPanel8(float[] x, int i0, int rows, int k, PackedWeights w, int panel, float[] y, int n,
                                     Epilogue last) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z;
        FloatVector a10 = z, a11 = z, a12 = z;
        FloatVector a20 = z, a21 = z, a22 = z;
        FloatVector a30 = z, a31 = z, a32 = z;
        FloatVector a40 = z, a41 = z, a42 = z;
        FloatVector a50 = z, a51 = z, a52 = z;
        FloatVector a60 = z, a61 = z, a62 = z;
        FloatVector a70 = z, a71 = z, a72 = z;
        int base = panel * k * NR;
        int x0 = i0 * k;
        int x1 = x0 + (rows > 1 ? 1 * k : 0);
        int x2 = x0 + (rows > 2 ? 2 * k : 0);
        int x3 = x0 + (rows > 3 ? 3 * k : 0);
        int x4 = x0 + (rows > 4 ? 4 * k : 0);
        int x5 = x0 + (rows > 5 ? 5 * k : 0);
        int x6 = x0 + (rows > 6 ? 6 * k : 0);
        int x7 = x0 + (rows > 7 ? 7 * k : 0);
        for (int p = 0; p < k; p++) {
            int bi = base + p * NR;
            FloatVector b0 = weights(w, bi);
            FloatVector b1 = weights(w, bi + L);
            FloatVector b2 = weights(w, bi + 2 * L);
            FloatVector v0 = FloatVector.broadcast(F, x[x0 + p]);
            a00 = v0.fma(b0, a00); a01 = v0.fma(b1, a01); a02 = v0.fma(b2, a02);
            FloatVector v1 = FloatVector.broadcast(F, x[x1 + p]);
            a10 = v1.fma(b0, a10); a11 = v1.fma(b1, a11); a12 = v1.fma(b2, a12);
            FloatVector v2 = FloatVector.broadcast(F, x[x2 + p]);
            a20 = v2.fma(b0, a20); a21 = v2.fma(b1, a21); a22 = v2.fma(b2, a22);
            FloatVector v3 = FloatVector.broadcast(F, x[x3 + p]);
            a30 = v3.fma(b0, a30); a31 = v3.fma(b1, a31); a32 = v3.fma(b2, a32);
            FloatVector v4 = FloatVector.broadcast(F, x[x4 + p]);
            a40 = v4.fma(b0, a40); a41 = v4.fma(b1, a41); a42 = v4.fma(b2, a42);
            if (rows > 5) {
                FloatVector v5 = FloatVector.broadcast(F, x[x5 + p]);
                a50 = v5.fma(b0, a50); a51 = v5.fma(b1, a51); a52 = v5.fma(b2, a52);
            }
            if (rows > 6) {
                FloatVector v6 = FloatVector.broadcast(F, x[x6 + p]);
                a60 = v6.fma(b0, a60); a61 = v6.fma(b1, a61); a62 = v6.fma(b2, a62);
            }
            if (rows > 7) {
                FloatVector v7 = FloatVector.broadcast(F, x[x7 + p]);
                a70 = v7.fma(b0, a70); a71 = v7.fma(b1, a71); a72 = v7.fma(b2, a72);
            }
        }
        float[] tile = TILE.get();
        if (w.scales != null) {
            FloatVector s0 = FloatVector.fromArray(F, w.scales, panel * NR);
            FloatVector s1 = FloatVector.fromArray(F, w.scales, panel * NR + L);
            FloatVector s2 = FloatVector.fromArray(F, w.scales, panel * NR + 2 * L);
            a00 = a00.mul(s0); a01 = a01.mul(s1); a02 = a02.mul(s2);
            a10 = a10.mul(s0); a11 = a11.mul(s1); a12 = a12.mul(s2);
            a20 = a20.mul(s0); a21 = a21.mul(s1); a22 = a22.mul(s2);
            a30 = a30.mul(s0); a31 = a31.mul(s1); a32 = a32.mul(s2);
            a40 = a40.mul(s0); a41 = a41.mul(s1); a42 = a42.mul(s2);
            a50 = a50.mul(s0); a51 = a51.mul(s1); a52 = a52.mul(s2);
            a60 = a60.mul(s0); a61 = a61.mul(s1); a62 = a62.mul(s2);
            a70 = a70.mul(s0); a71 = a71.mul(s1); a72 = a72.mul(s2);
        }
        a00.intoArray(tile, 0 * NR); a01.intoArray(tile, 0 * NR + L); a02.intoArray(tile, 0 * NR + 2 * L);
        a10.intoArray(tile, 1 * NR); a11.intoArray(tile, 1 * NR + L); a12.intoArray(tile, 1 * NR + 2 * L);
        a20.intoArray(tile, 2 * NR); a21.intoArray(tile, 2 * NR + L); a22.intoArray(tile, 2 * NR + 2 * L);
        a30.intoArray(tile, 3 * NR); a31.intoArray(tile, 3 * NR + L); a32.intoArray(tile, 3 * NR + 2 * L);
        a40.intoArray(tile, 4 * NR); a41.intoArray(tile, 4 * NR + L); a42.intoArray(tile, 4 * NR + 2 * L);
        a50.intoArray(tile, 5 * NR); a51.intoArray(tile, 5 * NR + L); a52.intoArray(tile, 5 * NR + 2 * L);
        a60.intoArray(tile, 6 * NR); a61.intoArray(tile, 6 * NR + L); a62.intoArray(tile, 6 * NR + 2 * L);
        a70.intoArray(tile, 7 * NR); a71.intoArray(tile, 7 * NR + L); a72.intoArray(tile, 7 * NR + 2 * L);
        int col0 = panel * NR;
        storeTile(tile, y, n, i0, rows, col0, Math.min(NR, n - col0), false, last);
    }
}
