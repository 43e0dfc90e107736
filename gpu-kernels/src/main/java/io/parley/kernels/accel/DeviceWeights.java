package io.parley.kernels.accel;

/**
 * A weight matrix uploaded once and kept resident by an {@link Accelerator}, in its storage
 * type ({@code f32}, {@code f16} or {@code int8}).
 */
public interface DeviceWeights extends AutoCloseable {

    int rows();

    int cols();

    String dtype();

    @Override
    void close();
}
