package io.parley.kernels.tornado;

import io.parley.kernels.accel.DeviceArray;

/**
 * A device array of the TornadoVM backend: a Java array that TornadoVM copies to the device
 * before each task that reads it and back after each task that writes it, so that the host
 * copy is always current.
 */
final class TornadoArray implements DeviceArray {

    final float[] data;

    TornadoArray(float[] data) {
        this.data = data;
    }

    @Override
    public int length() {
        return data.length;
    }

    @Override
    public void close() {
        // garbage collected; TornadoVM frees device copies with its execution plans
    }
}
