package io.parley.kernels.accel;

import io.parley.kernels.tensor.WeightMatrix;

/**
 * Where the models' kernels run. Every operation has the semantics of a reference kernel in
 * {@code io.parley.kernels.linalg}, {@code .nn} or {@code .signal}; a backend may order the
 * arithmetic differently (the tests bound the difference per storage type) but not change what
 * is computed. Layouts are row-major throughout (see the reference kernels).
 *
 * <p>Operations are issued in order. A backend may run them asynchronously; {@link #read}
 * waits for every operation issued before it. Implementations are thread-safe: several
 * streams' models may issue work at once.
 */
public interface Accelerator extends AutoCloseable {

    /** The backend: {@code jvm}, {@code opencl} or {@code tornado}. */
    String name();

    /** The device, for logs and benchmarks: "JVM, 2 threads, 512-bit vectors", an OpenCL device name. */
    String device();

    // ---- memory ----

    /** A zero-filled array of {@code length} floats. */
    DeviceArray allocate(int length);

    /** An array holding a copy of {@code data}. */
    default DeviceArray upload(float[] data) {
        DeviceArray a = allocate(data.length);
        write(a, 0, data, 0, data.length);
        return a;
    }

    void write(DeviceArray dst, int dstOffset, float[] src, int srcOffset, int length);

    /** Copies to the host, once every operation issued before has completed. */
    void read(DeviceArray src, int srcOffset, float[] dst, int dstOffset, int length);

    default float[] read(DeviceArray src) {
        float[] out = new float[src.length()];
        read(src, 0, out, 0, out.length);
        return out;
    }

    void copy(DeviceArray src, int srcOffset, DeviceArray dst, int dstOffset, int length);

    /**
     * Copies {@code rows} rows of {@code cols} values, read {@code srcStride} apart and written
     * {@code dstStride} apart: a block of columns of a wider matrix (the queries, keys or values
     * of a fused Q/K/V product) into a matrix of its own.
     */
    default void copyRows(DeviceArray src, int srcOffset, int srcStride, DeviceArray dst, int dstOffset, int dstStride,
                          int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            copy(src, srcOffset + r * srcStride, dst, dstOffset + r * dstStride, cols);
        }
    }

    /**
     * A key/value cache copied out of rows of {@code src} (as {@link #copyRows}) that from now on
     * only {@link #attention} reads, as its keys or values, and {@link #read}: an encoded window's
     * cross-attention keys and values, read by every decoder step of every hypothesis. A backend
     * may keep it in the storage its attention reads fastest; the JVM backend keeps it in f16
     * (half the memory, and half the bytes each step reads) unless a value lies beyond f16's
     * range. {@link #read} returns the values as kept. The default is a plain f32 copy.
     */
    default DeviceArray keyValueCache(DeviceArray src, int srcOffset, int srcStride, int rows, int cols) {
        DeviceArray cache = allocate(rows * cols);
        copyRows(src, srcOffset, srcStride, cache, 0, cols, rows, cols);
        return cache;
    }

    /** Keeps weights resident, in their storage type. */
    DeviceWeights upload(WeightMatrix weights);

    // ---- kernels ----

    /** {@code y[m x n] = x[m x k] wᵀ + bias} (bias may be null); {@code m = 1} is a decoder step. */
    void matmul(DeviceArray x, DeviceWeights w, DeviceArray bias, DeviceArray y, int m);

    /**
     * {@code y = gelu(x wᵀ + bias)}: a feed-forward layer's first half. A backend may apply GELU
     * as it stores the product (the JVM backend does, saving a pass over {@code y}); the
     * default is {@link #matmul} then {@link #gelu}.
     */
    default void matmulGelu(DeviceArray x, DeviceWeights w, DeviceArray bias, DeviceArray y, int m) {
        matmul(x, w, bias, y, m);
        gelu(y, m * w.rows());
    }

    void softmax(DeviceArray x, int rows, int cols);

    void layerNorm(DeviceArray x, DeviceArray gamma, DeviceArray beta, DeviceArray y, int rows, int cols, float eps);

    void gelu(DeviceArray x, int n);

    void relu(DeviceArray x, int n);

    /** {@code a += b} over {@code n} elements. */
    void add(DeviceArray a, DeviceArray b, int n);

    void scale(DeviceArray x, float s, int n);

    /**
     * Kernel-3, padding-1 convolution, time-major: {@code x} is {@code tIn x cIn}, {@code w} is
     * {@code cOut x (cIn*3)} (PyTorch's {@code cOut x cIn x 3} flattened), {@code y} is
     * {@code ((tIn-1)/stride+1) x cOut}.
     */
    void conv1dK3(DeviceArray x, int tIn, int cIn, DeviceWeights w, DeviceArray bias, DeviceArray y, int stride);

    /** Scaled dot-product attention over a key/value cache; see {@code AttentionKernels}. */
    void attention(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out, DeviceArray probs,
                   int heads, int headDim, int tq, int tk, int qPosition, boolean causal);

    /**
     * Attention whose weights nobody reads (an encoder layer): the same result as the method
     * above, but a backend need not keep {@code heads x tq x tk} weights in memory.
     */
    default void attention(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out,
                           int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        try (DeviceArray probs = allocate(heads * tq * tk)) {
            attention(q, k, v, out, probs, heads, headDim, tq, tk, qPosition, causal);
        }
    }

    /** {@code out[i] = table[ids[i]] * scale + positions[firstPosition + i]}, rows of {@code dim}. */
    void embed(DeviceArray table, int[] ids, float scale, DeviceArray positions, int firstPosition,
               DeviceArray out, int dim);

    /**
     * Whisper's log-mel features of {@code samples} samples of {@code audio}: {@code
     * frames x nMels} into {@code out}, with {@code frames = samples / hop}.
     */
    void logMel(DeviceArray audio, int samples, MelSpec spec, DeviceArray out);

    /**
     * Polyphase resampling; see {@code ResampleKernels}: output {@code n} is the dot product of
     * phase {@code m % up} of {@code phaseTaps} with {@code input[m/up ..]}, where
     * {@code m = firstPosition + n * down}.
     */
    void resample(DeviceArray input, DeviceArray phaseTaps, int taps, int up, int down, int firstPosition,
                  DeviceArray output, int outputCount);

    @Override
    void close();
}
