package io.parley.kernels.opencl;

import io.parley.kernels.accel.DeviceArray;
import org.jocl.CL;
import org.jocl.cl_mem;

/** Floats in OpenCL device memory. */
final class ClArray implements DeviceArray {

    final cl_mem mem;
    private final int length;
    private boolean released;

    ClArray(cl_mem mem, int length) {
        this.mem = mem;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            CL.clReleaseMemObject(mem);
        }
    }
}
