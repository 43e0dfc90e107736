package io.parley.kernels.tensor;

/**
 * 8-bit weights with one scale per row: row {@code j} stands for {@code scales[j] * data[j][*]}.
 * Symmetric quantisation, so zero stays exactly zero.
 */
public record Int8Weights(int rows, int cols, byte[] data, float[] scales) implements WeightMatrix {

    public Int8Weights {
        WeightMatrix.checkShape(rows, cols, data.length, "int8 weights");
        if (scales.length != rows) {
            throw new IllegalArgumentException("int8 weights: " + rows + " rows need " + rows + " scales, got " + scales.length);
        }
    }

    /** Quantises each row to [-127, 127] by its largest magnitude, rounding to nearest. */
    public static Int8Weights quantize(int rows, int cols, float[] values) {
        WeightMatrix.checkShape(rows, cols, values.length, "int8 quantisation");
        byte[] q = new byte[values.length];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0f;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(values[r * cols + c]));
            }
            float scale = max == 0f ? 1f : max / 127f;
            scales[r] = scale;
            float inv = 1f / scale;
            for (int c = 0; c < cols; c++) {
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, Math.round(values[r * cols + c] * inv)));
            }
        }
        return new Int8Weights(rows, cols, q, scales);
    }

    public static Int8Weights quantize(WeightMatrix w) {
        return quantize(w.rows(), w.cols(), w.toFloats());
    }

    @Override
    public String dtype() {
        return "int8";
    }

    @Override
    public long bytes() {
        return data.length + 4L * scales.length;
    }

    @Override
    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                f[r * cols + c] = scales[r] * data[r * cols + c];
            }
        }
        return f;
    }
}
