package io.parley.kernels.tensor;

/** Single-precision weights. */
public record F32Weights(int rows, int cols, float[] data) implements WeightMatrix {

    public F32Weights {
        WeightMatrix.checkShape(rows, cols, data.length, "f32 weights");
    }

    @Override
    public String dtype() {
        return "f32";
    }

    @Override
    public long bytes() {
        return 4L * data.length;
    }

    @Override
    public float[] toFloats() {
        return data.clone();
    }
}
