package io.parley.speech.whisper.model;

import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;

import java.util.Locale;

/** How the weight matrices are kept: as f32, as the file's f16, or quantised to int8 per row at load. */
public enum Precision {
    F32, F16, INT8;

    public static Precision parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be f32, f16 or int8, not '" + s + "'");
        }
    }

    /** A matrix tensor of the file in this precision. */
    WeightMatrix matrix(Tensor t, int rows, int cols) {
        return switch (this) {
            case F32 -> new F32Weights(rows, cols, t.toFloats());
            case F16 -> t.dtype() == Tensor.DType.F16 ? new F16Weights(rows, cols, t.toHalfBits())
                    : F16Weights.of(new F32Weights(rows, cols, t.toFloats()));
            case INT8 -> Int8Weights.quantize(rows, cols, t.toFloats());
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
