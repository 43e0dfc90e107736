package io.parley.kernels.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;

/**
 * How the matrix-product kernels of kernels.cl are built and launched on one device: with local
 * memory tiles where the device has local memory of its own (GPUs), or leaning on the caches where
 * it does not (CPUs such as PoCL's, whose local memory is ordinary memory and whose barriers cost
 * more than they save), and with the device's float vector width. The kernels read these
 * choices as build options, so kernel and launch agree by construction.
 *
 * @param localTiles  stage tiles of x and w in local memory (MATMUL_LOCAL) rather than not (MATMUL_CACHED)
 * @param vectorWidth floats per vector along k: 4, 8 or 16
 * @param reg         each work-item computes reg x reg outputs
 * @param block       with local tiles, a work-group is block x block work-items
 * @param kTile       with local tiles, columns of k staged at a time (a multiple of vectorWidth)
 */
public record ClMatmulPlan(boolean localTiles, int vectorWidth, int reg, int block, int kTile) {

    /** How a caller may force the layout (tests run both on one device); null lets the device decide. */
    public enum Layout { LOCAL_TILES, CACHED }

    public ClMatmulPlan {
        if (vectorWidth != 4 && vectorWidth != 8 && vectorWidth != 16) {
            throw new IllegalArgumentException("vector width must be 4, 8 or 16, not " + vectorWidth);
        }
        if (reg < 1 || block < 1 || kTile % vectorWidth != 0) {
            throw new IllegalArgumentException("bad matrix product plan " + reg + "/" + block + "/" + kTile);
        }
    }

    /**
     * The plan for a device. Four by four outputs per work-item: 2 x 4 vector loads feed 16
     * fused multiply-adds, and 16 vector sums plus 8 operands fit AVX-512's 32 registers (or, at
     * width 8, AVX2's 16 with a little spilling that measured cheaper than 3 x 3).
     */
    static ClMatmulPlan forDevice(cl_device_id device, Layout forced) {
        boolean localTiles = forced != null ? forced == Layout.LOCAL_TILES : hasOwnLocalMemory(device);
        int native_ = deviceInt(device, CL.CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT);
        int width = native_ >= 16 ? 16 : native_ >= 8 ? 8 : 4;
        return new ClMatmulPlan(localTiles, width, 4, 8, Math.max(32, 2 * width));
    }

    private static boolean hasOwnLocalMemory(cl_device_id device) {
        return deviceInt(device, CL.CL_DEVICE_LOCAL_MEM_TYPE) == CL.CL_LOCAL;
    }

    private static int deviceInt(cl_device_id device, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    String buildOptions() {
        return "-DMATMUL_LOCAL_TILES=" + (localTiles ? 1 : 0) + " -DVW=" + vectorWidth + " -DREG=" + reg
                + " -DBLOCK=" + block + " -DKT=" + kTile + " -DJT=" + BAND;
    }

    /**
     * Without local tiles, work-items in bands of {@value #BAND} along the columns of y: a band's
     * rows of w (BAND * reg of them, 256 KB at k = 512, 1 MB at 2048) stay in a core's L2 cache while every row
     * of x passes, and the band's neighbours share their rows of x in L1.
     */
    static final int BAND = 32;

    /** Work-items along dimensions 0 and 1. */
    long[] global(int m, int n) {
        if (localTiles) {
            int span = block * reg;
            return new long[]{ceilDiv(n, span) * block, ceilDiv(m, span) * block};
        }
        return new long[]{ceilDiv(m, reg) * BAND, ceilDiv(ceilDiv(n, reg), BAND)};
    }

    /** The work-group: fixed with local tiles; one work-item otherwise (each is already a block of y). */
    long[] local() {
        return localTiles ? new long[]{block, block} : new long[]{1, 1};
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** For the device line the CLI prints. */
    String describe() {
        return (localTiles ? "local-memory tiles" : "cache-blocked") + ", " + vectorWidth + "-wide, " + reg + "x" + reg
                + " per work-item";
    }
}
