package io.parley.kernels.jvm;

import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;

/**
 * Weights re-laid out once, at upload, for the micro-kernel: in panels of {@link Gemm#NR}
 * output rows, and within a panel {@code k}-major, so that one step of the inner loop reads
 * {@code NR} consecutive values, one per output. The last panel is padded with zeros. Each
 * storage type keeps its own width (f16 as shorts, int8 as bytes with the row scales laid out
 * the same way), so weights take no more memory than in the file.
 */
final class PackedWeights implements DeviceWeights {

    final int rows;
    final int cols;
    final String dtype;
    final int panels;
    final float[] f32;
    final short[] f16;
    final byte[] i8;
    /** int8 only: the row scales, {@code panels x NR}. */
    final float[] scales;
    /** The same weights in a kernel-3 convolution's im2col order, made on first use as one. */
    private volatile PackedWeights convOrder;
    private final WeightMatrix source;

    PackedWeights(WeightMatrix w) {
        this.rows = w.rows();
        this.cols = w.cols();
        this.dtype = w.dtype();
        this.source = w;
        int nr = Gemm.NR;
        this.panels = (rows + nr - 1) / nr;
        int size = panels * nr * cols;
        float[] f = null;
        short[] h = null;
        byte[] b = null;
        float[] s = null;
        switch (w) {
            case F32Weights m -> {
                f = new float[size];
                float[] src = m.data();
                for (int j = 0; j < rows; j++) {
                    int panel = j / nr, lane = j % nr;
                    for (int p = 0; p < cols; p++) {
                        f[(panel * cols + p) * nr + lane] = src[j * cols + p];
                    }
                }
            }
            case F16Weights m -> {
                h = new short[size];
                short[] src = m.bits();
                for (int j = 0; j < rows; j++) {
                    int panel = j / nr, lane = j % nr;
                    for (int p = 0; p < cols; p++) {
                        h[(panel * cols + p) * nr + lane] = src[j * cols + p];
                    }
                }
            }
            case Int8Weights m -> {
                b = new byte[size];
                s = new float[panels * nr];
                byte[] src = m.data();
                for (int j = 0; j < rows; j++) {
                    int panel = j / nr, lane = j % nr;
                    s[j] = m.scales()[j];
                    for (int p = 0; p < cols; p++) {
                        b[(panel * cols + p) * nr + lane] = src[j * cols + p];
                    }
                }
            }
        }
        this.f32 = f;
        this.f16 = h;
        this.i8 = b;
        this.scales = s;
    }

    /**
     * For a convolution over time-major input, whose im2col rows hold the three input frames one
     * after the other ({@code [x(t-1), x(t), x(t+1)]}): the weights of {@code cOut x cIn x 3}
     * reordered to {@code cOut x 3 x cIn}, in this matrix's storage type.
     */
    PackedWeights convOrder() {
        PackedWeights c = convOrder;
        if (c == null) {
            int cIn = cols / 3;
            float[] f = source.toFloats();
            float[] r = new float[f.length];
            for (int o = 0; o < rows; o++) {
                for (int ci = 0; ci < cIn; ci++) {
                    for (int kk = 0; kk < 3; kk++) {
                        r[o * cols + kk * cIn + ci] = f[o * cols + ci * 3 + kk];
                    }
                }
            }
            F32Weights reordered = new F32Weights(rows, cols, r);
            WeightMatrix same = switch (source) {
                case F32Weights ignored -> reordered;
                case F16Weights ignored -> F16Weights.of(reordered);
                case Int8Weights ignored -> Int8Weights.quantize(reordered);
            };
            c = new PackedWeights(same);
            convOrder = c;
        }
        return c;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public String dtype() {
        return dtype;
    }

    @Override
    public void close() {
        // garbage collected
    }
}
