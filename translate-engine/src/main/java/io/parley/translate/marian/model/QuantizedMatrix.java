package io.parley.translate.marian.model;

import io.parley.kernels.tensor.Int8Weights;

import java.util.Arrays;

/**
 * An intgemm 8-bit matrix as Marian stores it: {@code rows x cols} signed bytes and one
 * multiplier, the value {@code v} standing for {@code v / multiplier}.
 *
 * <p>Marian's shape is {@code [in, out]} for a layer's weights but the bytes are stored
 * transposed (intgemm's "prepared B" before its CPU-specific packing), so the byte matrix is
 * {@code out x in}: exactly the row layout of {@link Int8Weights}, whose {@code y = x wᵀ} the
 * kernels compute.
 */
public record QuantizedMatrix(int rows, int cols, byte[] values, float multiplier) {

    /** As kernel weights, for a layer whose Marian shape is {@code [in, out]}: {@code out x in}. */
    public Int8Weights asLayerWeights() {
        return asRows(cols, rows);
    }

    /** As kernel weights whose rows are the stored rows (the embedding table: one row per token). */
    public Int8Weights asTable() {
        return asRows(rows, cols);
    }

    private Int8Weights asRows(int outRows, int inCols) {
        float[] scales = new float[outRows];
        Arrays.fill(scales, 1f / multiplier);
        return new Int8Weights(outRows, inCols, values, scales);
    }

    /** Row {@code r} of the stored bytes, dequantised. */
    public void row(int r, float[] out, int outOffset) {
        float inv = 1f / multiplier;
        for (int c = 0; c < cols; c++) {
            out[outOffset + c] = values[r * cols + c] * inv;
        }
    }
}
