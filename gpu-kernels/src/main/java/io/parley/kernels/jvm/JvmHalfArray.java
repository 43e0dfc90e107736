package io.parley.kernels.jvm;

import io.parley.kernels.accel.DeviceArray;

/**
 * A key/value cache of the JVM backend kept as f16 bits ({@link JvmAccelerator#keyValueCache}):
 * only attention reads it, widening each head's rows to f32 where the arithmetic happens.
 */
final class JvmHalfArray implements DeviceArray {

    final short[] bits;

    JvmHalfArray(short[] bits) {
        this.bits = bits;
    }

    @Override
    public int length() {
        return bits.length;
    }

    @Override
    public void close() {
        // garbage collected
    }
}
