package io.parley.kernels.opencl;

import io.parley.kernels.accel.DeviceWeights;
import org.jocl.CL;
import org.jocl.cl_mem;

/** Weights resident in device memory in their storage type, with int8 row scales beside them. */
final class ClWeights implements DeviceWeights {

    final int rows;
    final int cols;
    final String dtype;
    final cl_mem data;
    /** int8 only. */
    final cl_mem scales;
    /** The weights widened to f32, for the convolution kernel; made on first use as one. */
    cl_mem convF32;
    private boolean released;

    ClWeights(int rows, int cols, String dtype, cl_mem data, cl_mem scales) {
        this.rows = rows;
        this.cols = cols;
        this.dtype = dtype;
        this.data = data;
        this.scales = scales;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public String dtype() {
        return dtype;
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            CL.clReleaseMemObject(data);
            if (scales != null) {
                CL.clReleaseMemObject(scales);
            }
            if (convF32 != null) {
                CL.clReleaseMemObject(convF32);
            }
        }
    }
}
