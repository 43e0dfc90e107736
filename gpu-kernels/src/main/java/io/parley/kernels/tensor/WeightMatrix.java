package io.parley.kernels.tensor;

/**
 * A weight matrix on the host, {@code rows x cols} row-major, one row per output (the layout of
 * PyTorch and CTranslate2 linear layers), in one of the storage types the kernels take.
 * Accelerators upload it once and keep it resident.
 */
public sealed interface WeightMatrix permits F32Weights, F16Weights, Int8Weights {

    int rows();

    int cols();

    /** Storage type, as named in benchmarks and configuration: {@code f32}, {@code f16}, {@code int8}. */
    String dtype();

    /** Bytes the weights take in this storage type. */
    long bytes();

    /** The weights as f32, row-major: what the matrix stands for. */
    float[] toFloats();

    static void checkShape(int rows, int cols, long length, String what) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(what + ": shape must be positive, not " + rows + "x" + cols);
        }
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(what + ": " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + length);
        }
    }
}
