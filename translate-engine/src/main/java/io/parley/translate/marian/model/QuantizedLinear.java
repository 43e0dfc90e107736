package io.parley.translate.marian.model;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;

/**
 * One of the model's affine layers: its 8-bit weights stay 8-bit on the accelerator (one
 * multiplier per matrix, as intgemm stores them) and multiply float activations.
 *
 * <p>intgemm would also round each layer's input to 8 bits with the stored activation
 * multiplier ({@code *_QuantMultA}). The package's own native engine — the reference Parley is
 * tested against — keeps activations in float, and so does Parley: on the dev sentences that
 * gives the reference's greedy output word for word, where 8-bit activations changed one
 * sentence in eight.
 */
final class QuantizedLinear implements AutoCloseable {

    private final Accelerator acc;
    private final DeviceWeights weights;
    private final DeviceArray bias;
    final int in;
    final int out;

    QuantizedLinear(Accelerator acc, QuantizedMatrix w, float[] bias) {
        this.acc = acc;
        this.weights = acc.upload(w.asLayerWeights());
        this.in = w.rows();
        this.out = w.cols();
        this.bias = bias == null ? null : acc.upload(bias);
    }

    /** Loads {@code <name>} and, if given, a bias item. */
    static QuantizedLinear load(Accelerator acc, MarianFile file, String name, String biasName) {
        return new QuantizedLinear(acc, file.int8(name), biasName == null ? null : file.floats(biasName));
    }

    /** {@code y[m x out] = x[m x in] w + b}; {@code x} on the host. */
    void apply(float[] x, int m, DeviceArray scratchIn, DeviceArray y) {
        acc.write(scratchIn, 0, x, 0, m * in);
        acc.matmul(scratchIn, weights, bias, y, m);
    }

    @Override
    public void close() {
        weights.close();
        if (bias != null) {
            bias.close();
        }
    }
}
