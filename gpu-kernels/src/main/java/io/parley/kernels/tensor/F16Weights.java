package io.parley.kernels.tensor;

/**
 * Half-precision weights as raw IEEE 754 binary16 bits. Infinities and NaN are refused: no
 * trained weight is one, and the vectorised conversions may then skip their special cases.
 */
public record F16Weights(int rows, int cols, short[] bits) implements WeightMatrix {

    public F16Weights {
        WeightMatrix.checkShape(rows, cols, bits.length, "f16 weights");
        for (short b : bits) {
            if ((b & 0x7c00) == 0x7c00) {
                throw new IllegalArgumentException("f16 weights hold an infinity or NaN");
            }
        }
    }

    public static F16Weights of(F32Weights w) {
        float[] f = w.data();
        short[] bits = new short[f.length];
        for (int i = 0; i < f.length; i++) {
            bits[i] = Float.floatToFloat16(f[i]);
        }
        return new F16Weights(w.rows(), w.cols(), bits);
    }

    @Override
    public String dtype() {
        return "f16";
    }

    @Override
    public long bytes() {
        return 2L * bits.length;
    }

    @Override
    public float[] toFloats() {
        float[] f = new float[bits.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.float16ToFloat(bits[i]);
        }
        return f;
    }
}
