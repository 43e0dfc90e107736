package io.parley.kernels.accel;

/**
 * Floats that live where an {@link Accelerator} computes: a Java array for the JVM backend,
 * device memory for OpenCL. Created, read and written only through the accelerator that
 * made it, and released when no longer needed (models keep theirs for their lifetime).
 */
public interface DeviceArray extends AutoCloseable {

    int length();

    @Override
    void close();
}
