package io.parley.kernels.jvm;

import io.parley.kernels.accel.DeviceArray;

/** A device array of the JVM backend: a Java array. */
final class JvmArray implements DeviceArray {

    final float[] data;

    JvmArray(float[] data) {
        this.data = data;
    }

    @Override
    public int length() {
        return data.length;
    }

    @Override
    public void close() {
        // garbage collected
    }
}
