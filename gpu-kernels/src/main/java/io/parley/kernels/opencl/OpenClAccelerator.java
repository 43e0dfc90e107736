package io.parley.kernels.opencl;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.accel.MelSpec;
import io.parley.kernels.nn.ConvKernels;
import io.parley.kernels.signal.FftKernels;
import io.parley.kernels.signal.FftPlan;
import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;

/**
 * The kernels in OpenCL C ({@code kernels.cl}) through JOCL, on any OpenCL device: a GPU, an
 * FPGA board, or PoCL on a CPU. Weights are uploaded once and stay in device memory;
 * activations stay there between operations, which are queued in order on one in-order queue
 * and only waited for when the host reads a result.
 *
 * <p>OpenCL kernel objects are not safe to configure from several threads at once, so every
 * operation takes this accelerator's lock for the few microseconds of setting arguments and
 * enqueueing.
 */
public final class OpenClAccelerator implements Accelerator {

    private static final int GEMV_GROUP = 64;
    private static final int ROW_GROUP = 64;
    /** Up to this many rows, a matrix product streams each weight row once (gemv kernels). */
    private static final int GEMV_ROWS = 8;

    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;
    private final String deviceName;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<MelSpec, MelTables> melTables = new HashMap<>();
    private final cl_mem dummy;
    private final ClMatmulPlan matmulPlan;

    private OpenClAccelerator(cl_context context, cl_command_queue queue, cl_program program, String deviceName,
                              ClMatmulPlan matmulPlan) {
        this.context = context;
        this.queue = queue;
        this.program = program;
        this.deviceName = deviceName + " (matrix products: " + matmulPlan.describe() + ")";
        this.matmulPlan = matmulPlan;
        this.dummy = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, Sizeof.cl_float, null, null);
    }

    /**
     * Opens a device: the first whose name contains {@code wanted} (case-insensitive), or with an
     * empty {@code wanted}, the first GPU, else accelerator (FPGA), else any device.
     */
    public static OpenClAccelerator open(String wanted) {
        return open(wanted, null);
    }

    /** As {@link #open(String)}, with the matrix products' layout forced (null: as suits the device). */
    public static OpenClAccelerator open(String wanted, ClMatmulPlan.Layout layout) {
        CL.setExceptionsEnabled(true);
        List<cl_platform_id> platforms = new ArrayList<>();
        List<cl_device_id> devices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        try {
            int[] count = new int[1];
            CL.clGetPlatformIDs(0, null, count);
            cl_platform_id[] ps = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(ps.length, ps, null);
            for (cl_platform_id p : ps) {
                int[] n = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (CLException e) {
                    continue; // a platform without devices
                }
                cl_device_id[] ds = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ds.length, ds, null);
                for (cl_device_id d : ds) {
                    platforms.add(p);
                    devices.add(d);
                    names.add(platformName(p) + " / " + deviceString(d, CL_DEVICE_NAME));
                    types.add(deviceType(d));
                }
            }
        } catch (CLException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("no OpenCL platform could be opened (" + e.getMessage()
                    + "); install an OpenCL driver, e.g. Debian's pocl-opencl-icd for the CPU", e);
        }
        if (devices.isEmpty()) {
            throw new IllegalStateException("no OpenCL device found; install an OpenCL driver, e.g. Debian's"
                    + " pocl-opencl-icd for the CPU");
        }
        int chosen = -1;
        if (!wanted.isBlank()) {
            for (int i = 0; i < names.size() && chosen < 0; i++) {
                if (names.get(i).toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT))) {
                    chosen = i;
                }
            }
            if (chosen < 0) {
                throw new IllegalStateException("no OpenCL device named like '" + wanted + "'; found " + names);
            }
        } else {
            for (long preferred : new long[]{CL_DEVICE_TYPE_GPU, CL_DEVICE_TYPE_ACCELERATOR}) {
                for (int i = 0; i < types.size() && chosen < 0; i++) {
                    if ((types.get(i) & preferred) != 0) {
                        chosen = i;
                    }
                }
            }
            if (chosen < 0) {
                chosen = 0;
            }
        }
        cl_device_id device = devices.get(chosen);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, platforms.get(chosen));
        cl_context context = CL.clCreateContext(props, 1, new cl_device_id[]{device}, null, null, null);
        cl_command_queue queue;
        try {
            queue = CL.clCreateCommandQueueWithProperties(context, device, null, null);
        } catch (CLException | UnsatisfiedLinkError e) {
            // OpenCL 1.2 platforms (FPGA SDKs among them) have only the older call.
            @SuppressWarnings("deprecation")
            cl_command_queue old = CL.clCreateCommandQueue(context, device, 0, null);
            queue = old;
        }
        ClMatmulPlan plan = ClMatmulPlan.forDevice(device, layout);
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[]{kernelSource()}, null, null);
        try {
            CL.clBuildProgram(program, 0, null, "-cl-mad-enable " + plan.buildOptions(), null, null);
        } catch (CLException e) {
            throw new IllegalStateException("the OpenCL kernels do not build on " + names.get(chosen) + ":\n"
                    + buildLog(program, device), e);
        }
        return new OpenClAccelerator(context, queue, program, names.get(chosen), plan);
    }

    private static String kernelSource() {
        try (InputStream in = OpenClAccelerator.class.getResourceAsStream("kernels.cl")) {
            if (in == null) {
                throw new IllegalStateException("kernels.cl missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kernels.cl", e);
        }
    }

    private static String platformName(cl_platform_id p) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, CL_PLATFORM_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, CL_PLATFORM_NAME, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), StandardCharsets.UTF_8);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), StandardCharsets.UTF_8);
    }

    private static long deviceType(cl_device_id d) {
        long[] type = new long[1];
        CL.clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
        return type[0];
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return deviceName;
    }

    private cl_kernel kernel(String name) {
        return kernels.computeIfAbsent(name, n -> CL.clCreateKernel(program, n, null));
    }

    private static cl_mem mem(DeviceArray a) {
        return ((ClArray) a).mem;
    }

    /** Sets arguments in order: cl_mem, ClArray, Integer, Float, Boolean (as int). */
    private static void args(cl_kernel k, Object... values) {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            switch (v) {
                case ClArray a -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(a.mem));
                case cl_mem m -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
                case Integer n -> CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[]{n}));
                case Float f -> CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[]{f}));
                case Boolean b -> CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[]{b ? 1 : 0}));
                default -> throw new IllegalArgumentException("kernel argument of type " + v.getClass());
            }
        }
    }

    private void run(cl_kernel k, long[] global, long[] local) {
        CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private void elementWise(String name, int n, Object... args) {
        if (n == 0) {
            return;
        }
        cl_kernel k = kernel(name);
        args(k, args);
        run(k, new long[]{roundUp(n, 64)}, new long[]{64});
    }

    // ---- memory ----

    @Override
    public synchronized DeviceArray allocate(int length) {
        cl_mem m = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, (long) Math.max(1, length) * Sizeof.cl_float, null, null);
        CL.clEnqueueFillBuffer(queue, m, Pointer.to(new float[]{0f}), Sizeof.cl_float, 0,
                (long) Math.max(1, length) * Sizeof.cl_float, 0, null, null);
        return new ClArray(m, length);
    }

    @Override
    public synchronized void write(DeviceArray dst, int dstOffset, float[] src, int srcOffset, int length) {
        if (length > 0) {
            CL.clEnqueueWriteBuffer(queue, mem(dst), CL_TRUE, (long) dstOffset * Sizeof.cl_float,
                    (long) length * Sizeof.cl_float, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_float),
                    0, null, null);
        }
    }

    @Override
    public synchronized void read(DeviceArray src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (length > 0) {
            CL.clEnqueueReadBuffer(queue, mem(src), CL_TRUE, (long) srcOffset * Sizeof.cl_float,
                    (long) length * Sizeof.cl_float, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_float),
                    0, null, null);
        }
    }

    @Override
    public synchronized void copy(DeviceArray src, int srcOffset, DeviceArray dst, int dstOffset, int length) {
        if (length > 0) {
            CL.clEnqueueCopyBuffer(queue, mem(src), mem(dst), (long) srcOffset * Sizeof.cl_float,
                    (long) dstOffset * Sizeof.cl_float, (long) length * Sizeof.cl_float, 0, null, null);
        }
    }

    /** One rectangular copy on the device, not one command per row. */
    @Override
    public synchronized void copyRows(DeviceArray src, int srcOffset, int srcStride, DeviceArray dst, int dstOffset,
                                      int dstStride, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            return;
        }
        long f = Sizeof.cl_float;
        CL.clEnqueueCopyBufferRect(queue, mem(src), mem(dst),
                new long[]{(srcOffset % srcStride) * f, srcOffset / srcStride, 0},
                new long[]{(dstOffset % dstStride) * f, dstOffset / dstStride, 0},
                new long[]{cols * f, rows, 1}, srcStride * f, 0, dstStride * f, 0, 0, null, null);
    }

    private cl_mem buffer(Pointer data, long bytes) {
        cl_mem m = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, Math.max(4, bytes), null, null);
        CL.clEnqueueWriteBuffer(queue, m, CL_TRUE, 0, bytes, data, 0, null, null);
        return m;
    }

    @Override
    public synchronized DeviceWeights upload(WeightMatrix w) {
        return switch (w) {
            case F32Weights f -> new ClWeights(f.rows(), f.cols(), "f32",
                    buffer(Pointer.to(f.data()), 4L * f.data().length), null);
            case F16Weights h -> new ClWeights(h.rows(), h.cols(), "f16",
                    buffer(Pointer.to(h.bits()), 2L * h.bits().length), null);
            case Int8Weights q -> new ClWeights(q.rows(), q.cols(), "int8",
                    buffer(Pointer.to(q.data()), q.data().length),
                    buffer(Pointer.to(q.scales()), 4L * q.scales().length));
        };
    }

    // ---- kernels ----

    @Override
    public synchronized void matmul(DeviceArray x, DeviceWeights w, DeviceArray bias, DeviceArray y, int m) {
        ClWeights cw = (ClWeights) w;
        int k = cw.cols, n = cw.rows;
        boolean gemv = m <= GEMV_ROWS;
        cl_kernel kernel = kernel((gemv ? "gemv_" : "matmul_") + cw.dtype);
        args(kernel, x, cw.data, cw.scales != null ? cw.scales : dummy, bias != null ? mem(bias) : dummy,
                bias != null, y, m, k, n);
        if (gemv) {
            run(kernel, new long[]{(long) n * GEMV_GROUP}, new long[]{GEMV_GROUP});
        } else {
            run(kernel, matmulPlan.global(m, n), matmulPlan.local());
        }
    }

    @Override
    public synchronized void softmax(DeviceArray x, int rows, int cols) {
        cl_kernel k = kernel("softmax_rows");
        args(k, x, cols);
        run(k, new long[]{(long) rows * ROW_GROUP}, new long[]{ROW_GROUP});
    }

    @Override
    public synchronized void layerNorm(DeviceArray x, DeviceArray gamma, DeviceArray beta, DeviceArray y,
                                       int rows, int cols, float eps) {
        cl_kernel k = kernel("layer_norm");
        args(k, x, gamma, beta, y, cols, eps);
        run(k, new long[]{(long) rows * ROW_GROUP}, new long[]{ROW_GROUP});
    }

    @Override
    public synchronized void gelu(DeviceArray x, int n) {
        elementWise("gelu", n, x, n);
    }

    @Override
    public synchronized void relu(DeviceArray x, int n) {
        elementWise("relu", n, x, n);
    }

    @Override
    public synchronized void add(DeviceArray a, DeviceArray b, int n) {
        elementWise("add", n, a, b, n);
    }

    @Override
    public synchronized void scale(DeviceArray x, float s, int n) {
        elementWise("scale", n, x, s, n);
    }

    @Override
    public synchronized void conv1dK3(DeviceArray x, int tIn, int cIn, DeviceWeights w, DeviceArray bias,
                                      DeviceArray y, int stride) {
        ClWeights cw = (ClWeights) w;
        if (cw.cols != 3 * cIn) {
            throw new IllegalArgumentException("conv weights have " + cw.cols + " columns, expected 3 x " + cIn);
        }
        if (cw.convF32 == null) {
            cw.convF32 = widen(cw);
        }
        int tOut = ConvKernels.outputLength(tIn, stride);
        cl_kernel k = kernel("conv1d_k3");
        args(k, x, tIn, cIn, cw.convF32, bias, y, cw.rows, stride, tOut);
        run(k, new long[]{roundUp(cw.rows, 16), roundUp(tOut, 16)}, new long[]{16, 16});
    }

    /** The weights as f32 on the device: a product with the identity, by the matrix kernel itself. */
    private cl_mem widen(ClWeights w) {
        if (w.dtype.equals("f32")) {
            CL.clRetainMemObject(w.data);
            return w.data;
        }
        int n = w.rows, k = w.cols;
        float[] identity = new float[k * k];
        for (int i = 0; i < k; i++) {
            identity[i * k + i] = 1f;
        }
        ClArray eye = (ClArray) allocate(k * k);
        write(eye, 0, identity, 0, identity.length);
        // (I w^T)^T = w: compute I[k x k] w^T = w^T (k x n), then transpose on the host once.
        ClArray wt = (ClArray) allocate(k * n);
        matmul(eye, w, null, wt, k);
        float[] t = new float[k * n];
        read(wt, 0, t, 0, t.length);
        float[] f = new float[n * k];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                f[j * k + p] = t[p * n + j];
            }
        }
        eye.close();
        wt.close();
        return buffer(Pointer.to(f), 4L * f.length);
    }

    @Override
    public synchronized void attention(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out, DeviceArray probs,
                                       int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        cl_kernel kernel = kernel("attention");
        args(kernel, q, k, v, out, probs, heads, headDim, tq, tk, qPosition, causal);
        run(kernel, new long[]{tq, heads}, null);
    }

    @Override
    public synchronized void embed(DeviceArray table, int[] ids, float scale, DeviceArray positions, int firstPosition,
                                   DeviceArray out, int dim) {
        cl_mem idBuffer = buffer(Pointer.to(ids), 4L * ids.length);
        cl_kernel k = kernel("embed");
        args(k, table, idBuffer, scale, positions, firstPosition, out, ids.length, dim);
        run(k, new long[]{roundUp(dim, 16), roundUp(ids.length, 1)}, null);
        CL.clReleaseMemObject(idBuffer);
    }

    /** A mel front end's tables, uploaded once per spec. */
    private final class MelTables {
        final FftPlan plan;
        final cl_mem window, radix, span, permutation, cos, sin, filters;

        MelTables(MelSpec spec) {
            plan = spec.plan();
            window = buffer(Pointer.to(FftKernels.hannWindow(spec.nFft())), 4L * spec.nFft());
            radix = buffer(Pointer.to(plan.radix()), 4L * plan.stages());
            span = buffer(Pointer.to(plan.span()), 4L * plan.stages());
            permutation = buffer(Pointer.to(plan.permutation()), 4L * plan.n());
            cos = buffer(Pointer.to(plan.cos()), 4L * plan.n());
            sin = buffer(Pointer.to(plan.sin()), 4L * plan.n());
            float[] f = spec.filters();
            filters = buffer(Pointer.to(f), 4L * f.length);
        }
    }

    @Override
    public synchronized void logMel(DeviceArray audio, int samples, MelSpec spec, DeviceArray out) {
        MelTables t = melTables.computeIfAbsent(spec, MelTables::new);
        int n = spec.nFft();
        int frames = FftKernels.frameCount(samples, spec.hop());
        int bins = spec.bins();
        ClArray re = (ClArray) allocate(frames * n);
        ClArray im = (ClArray) allocate(frames * n);
        ClArray tmp = (ClArray) allocate(frames * 2 * t.plan.maxRadix());
        ClArray power = (ClArray) allocate(frames * bins);
        ClArray max = (ClArray) allocate(1);
        cl_kernel stft = kernel("stft_power");
        args(stft, audio, samples, spec.hop(), frames, t.window, n, t.plan.stages(), t.radix, t.span, t.permutation,
                t.cos, t.sin, t.plan.maxRadix(), re, im, tmp, power);
        run(stft, new long[]{frames}, null);
        cl_kernel mel = kernel("log_mel");
        args(mel, power, t.filters, out, frames, bins, spec.nMels());
        run(mel, new long[]{roundUp(spec.nMels(), 16), roundUp(frames, 16)}, new long[]{16, 16});
        int total = frames * spec.nMels();
        cl_kernel reduce = kernel("max_reduce");
        args(reduce, out, total, max);
        run(reduce, new long[]{ROW_GROUP}, new long[]{ROW_GROUP});
        elementWise("clamp_and_scale", total, out, total, max);
        CL.clFinish(queue);
        for (ClArray a : new ClArray[]{re, im, tmp, power, max}) {
            a.close();
        }
    }

    @Override
    public synchronized void resample(DeviceArray input, DeviceArray phaseTaps, int taps, int up, int down,
                                      int firstPosition, DeviceArray output, int outputCount) {
        elementWise("polyphase_resample", outputCount, input, phaseTaps, taps, up, down, firstPosition, output,
                outputCount);
    }

    @Override
    public synchronized void close() {
        CL.clFinish(queue);
        kernels.values().forEach(CL::clReleaseKernel);
        CL.clReleaseMemObject(dummy);
        CL.clReleaseProgram(program);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
