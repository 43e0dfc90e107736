package io.parley.kernels.tornado;

import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;

/** Weights as the reference kernels take them; TornadoVM copies them to the device once. */
final class TornadoWeights implements DeviceWeights {

    final WeightMatrix host;
    /** The weights as f32, made on first use by the convolution kernel. */
    private float[] widened;

    TornadoWeights(WeightMatrix host) {
        this.host = host;
    }

    float[] f32() {
        return host instanceof F32Weights f ? f.data() : null;
    }

    short[] f16() {
        return host instanceof F16Weights h ? h.bits() : null;
    }

    Int8Weights int8() {
        return host instanceof Int8Weights q ? q : null;
    }

    synchronized float[] widened() {
        if (widened == null) {
            widened = host.toFloats();
        }
        return widened;
    }

    @Override
    public int rows() {
        return host.rows();
    }

    @Override
    public int cols() {
        return host.cols();
    }

    @Override
    public String dtype() {
        return host.dtype();
    }

    @Override
    public void close() {
        // garbage collected
    }
}
