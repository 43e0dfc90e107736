package io.parley.kernels.tornado;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.accel.MelSpec;
import io.parley.kernels.linalg.MatmulKernels;
import io.parley.kernels.nn.ActivationKernels;
import io.parley.kernels.nn.AttentionKernels;
import io.parley.kernels.nn.ConvKernels;
import io.parley.kernels.nn.EmbeddingKernels;
import io.parley.kernels.nn.NormKernels;
import io.parley.kernels.signal.FftKernels;
import io.parley.kernels.signal.FftPlan;
import io.parley.kernels.signal.MelKernels;
import io.parley.kernels.signal.ResampleKernels;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The reference kernels of gpu-kernels, unchanged, on TornadoVM: each operation is one task
 * graph running the kernel method itself, whose {@code @Parallel} loops TornadoVM maps onto the
 * device. Weights go to the device once ({@code FIRST_EXECUTION}); activations go in and out at
 * every execution, which keeps the host copies current at the price of transfers a fused plan
 * would avoid.
 *
 * <p>A task graph captures its arguments, so one is built and kept per distinct call (arrays and
 * sizes); a model calls the same operations with the same arrays step after step, so they are
 * reused, and TornadoVM compiles each kernel once.
 */
public final class TornadoAccelerator implements Accelerator {

    private final Map<String, TornadoExecutionPlan> plans = new HashMap<>();
    private final Map<Integer, float[]> zeros = new HashMap<>();
    private final Map<Integer, int[]> idBuffers = new HashMap<>();
    private final Map<MelSpec, Object[]> melTables = new HashMap<>();
    private int graphs;

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public String device() {
        return "TornadoVM default device";
    }

    private static float[] a(DeviceArray d) {
        return ((TornadoArray) d).data;
    }

    private static String id(Object o) {
        return Integer.toHexString(System.identityHashCode(o));
    }

    /** Runs the graph cached under {@code key}, building it the first time. */
    private synchronized void execute(String key, Supplier<TaskGraph> graph) {
        TornadoExecutionPlan plan = plans.get(key);
        if (plan == null) {
            ImmutableTaskGraph snapshot = graph.get().snapshot();
            plan = new TornadoExecutionPlan(snapshot);
            plans.put(key, plan);
        }
        plan.execute();
    }

    private String graphName() {
        return "g" + (graphs++);
    }

    private float[] zeros(int n) {
        return zeros.computeIfAbsent(n, float[]::new);
    }

    // ---- memory: host arrays, kept current by every task's transfers ----

    @Override
    public DeviceArray allocate(int length) {
        return new TornadoArray(new float[length]);
    }

    @Override
    public void write(DeviceArray dst, int dstOffset, float[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, a(dst), dstOffset, length);
    }

    @Override
    public void read(DeviceArray src, int srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(a(src), srcOffset, dst, dstOffset, length);
    }

    @Override
    public void copy(DeviceArray src, int srcOffset, DeviceArray dst, int dstOffset, int length) {
        System.arraycopy(a(src), srcOffset, a(dst), dstOffset, length);
    }

    @Override
    public DeviceWeights upload(WeightMatrix weights) {
        return new TornadoWeights(weights);
    }

    // ---- kernels ----

    @Override
    public void matmul(DeviceArray x, DeviceWeights w, DeviceArray bias, DeviceArray y, int m) {
        TornadoWeights tw = (TornadoWeights) w;
        int k = tw.cols(), n = tw.rows();
        float[] xs = a(x), ys = a(y), b = bias == null ? zeros(n) : a(bias);
        String key = "matmul " + id(xs) + id(tw) + id(b) + id(ys) + " " + m;
        if (tw.f32() != null) {
            float[] ws = tw.f32();
            execute(key, () -> new TaskGraph(graphName())
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, ws)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs, b)
                    .task("t", MatmulKernels::f32, xs, ws, b, ys, m, k, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, ys));
        } else if (tw.f16() != null) {
            short[] ws = tw.f16();
            execute(key, () -> new TaskGraph(graphName())
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, ws)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs, b)
                    .task("t", MatmulKernels::f16, xs, ws, b, ys, m, k, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, ys));
        } else {
            Int8Weights q = tw.int8();
            byte[] ws = q.data();
            float[] scale = q.scales();
            execute(key, () -> new TaskGraph(graphName())
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, ws, scale)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs, b)
                    .task("t", MatmulKernels::int8, xs, ws, scale, b, ys, m, k, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, ys));
        }
    }

    @Override
    public void softmax(DeviceArray x, int rows, int cols) {
        float[] xs = a(x);
        execute("softmax " + id(xs) + " " + rows + " " + cols, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)
                .task("t", NormKernels::softmax, xs, rows, cols)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, xs));
    }

    @Override
    public void layerNorm(DeviceArray x, DeviceArray gamma, DeviceArray beta, DeviceArray y, int rows, int cols, float eps) {
        float[] xs = a(x), g = a(gamma), b = a(beta), ys = a(y);
        execute("layerNorm " + id(xs) + id(g) + id(ys) + " " + rows + " " + cols + " " + eps, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, g, b)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)
                .task("t", NormKernels::layerNorm, xs, g, b, ys, rows, cols, eps)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, ys));
    }

    @Override
    public void gelu(DeviceArray x, int n) {
        float[] xs = a(x);
        execute("gelu " + id(xs) + " " + n, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)
                .task("t", ActivationKernels::gelu, xs, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, xs));
    }

    @Override
    public void relu(DeviceArray x, int n) {
        float[] xs = a(x);
        execute("relu " + id(xs) + " " + n, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)
                .task("t", ActivationKernels::relu, xs, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, xs));
    }

    @Override
    public void add(DeviceArray acc, DeviceArray b, int n) {
        float[] xs = a(acc), bs = a(b);
        execute("add " + id(xs) + id(bs) + " " + n, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs, bs)
                .task("t", ActivationKernels::add, xs, bs, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, xs));
    }

    @Override
    public void scale(DeviceArray x, float s, int n) {
        float[] xs = a(x);
        execute("scale " + id(xs) + " " + s + " " + n, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)
                .task("t", ActivationKernels::scale, xs, s, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, xs));
    }

    @Override
    public void conv1dK3(DeviceArray x, int tIn, int cIn, DeviceWeights w, DeviceArray bias, DeviceArray y, int stride) {
        TornadoWeights tw = (TornadoWeights) w;
        float[] xs = a(x), ws = tw.widened(), b = a(bias), ys = a(y);
        int cOut = tw.rows();
        execute("conv " + id(xs) + id(ws) + id(ys) + " " + tIn + " " + stride, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, ws, b)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, xs)
                .task("t", ConvKernels::conv1dK3, xs, tIn, cIn, ws, b, ys, cOut, stride)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, ys));
    }

    @Override
    public void attention(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out, DeviceArray probs,
                          int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        float[] qs = a(q), ks = a(k), vs = a(v), os = a(out), ps = a(probs);
        int c = causal ? 1 : 0;
        execute("attention " + id(qs) + id(ks) + id(vs) + id(os) + id(ps) + " " + heads + " " + headDim + " " + tq + " "
                        + tk + " " + qPosition + " " + c, () -> new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, qs, ks, vs)
                .task("t", AttentionKernels::attention, qs, ks, vs, os, ps, heads, headDim, tq, tk, qPosition, c)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, os, ps));
    }

    @Override
    public void embed(DeviceArray table, int[] ids, float scale, DeviceArray positions, int firstPosition,
                      DeviceArray out, int dim) {
        float[] t = a(table), p = a(positions), o = a(out);
        int count = ids.length;
        int[] buffer = idBuffers.computeIfAbsent(count, int[]::new);
        System.arraycopy(ids, 0, buffer, 0, count);
        execute("embed " + id(t) + id(p) + id(o) + " " + count + " " + scale + " " + firstPosition + " " + dim,
                () -> new TaskGraph(graphName())
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, t, p)
                        .transferToDevice(DataTransferMode.EVERY_EXECUTION, buffer)
                        .task("t", EmbeddingKernels::embed, t, buffer, scale, p, firstPosition, o, count, dim)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, o));
    }

    @Override
    public void logMel(DeviceArray audio, int samples, MelSpec spec, DeviceArray out) {
        Object[] tables = melTables.computeIfAbsent(spec, s -> {
            FftPlan plan = s.plan();
            return new Object[]{plan.ints(), plan.twiddles(), FftKernels.hannWindow(s.nFft()), s.filters(), plan.maxRadix()};
        });
        int[] plan = (int[]) tables[0];
        float[] twiddles = (float[]) tables[1];
        float[] window = (float[]) tables[2];
        float[] filters = (float[]) tables[3];
        int maxRadix = (int) tables[4];
        int frames = FftKernels.frameCount(samples, spec.hop());
        int n = spec.nFft(), bins = spec.bins(), mels = spec.nMels(), hop = spec.hop();
        float[] signal = a(audio), o = a(out);
        float[] re = new float[frames * n], im = new float[frames * n], tmp = new float[frames * 2 * maxRadix];
        float[] power = new float[frames * bins];
        float[] max = {Float.NEGATIVE_INFINITY};
        int total = frames * mels;
        // Scratch arrays are new for each call, so this graph is built for the call and not kept.
        TaskGraph graph = new TaskGraph(graphName())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, signal, window, plan, twiddles, filters, max)
                .task("stft", FftKernels::stftPower, signal, samples, hop, frames, window, plan, twiddles, re, im, tmp, power)
                .task("mel", MelKernels::logMel, power, filters, o, frames, bins, mels)
                .task("max", MelKernels::max, o, total, max)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, o, max);
        try (TornadoExecutionPlan once = new TornadoExecutionPlan(graph.snapshot())) {
            once.execute();
        } catch (TornadoExecutionPlanException e) {
            throw new IllegalStateException("TornadoVM could not release a log-mel plan", e);
        }
        MelKernels.clampAndScale(o, total, max[0]);
    }

    @Override
    public void resample(DeviceArray input, DeviceArray phaseTaps, int taps, int up, int down, int firstPosition,
                         DeviceArray output, int outputCount) {
        float[] in = a(input), h = a(phaseTaps), o = a(output);
        execute("resample " + id(in) + id(h) + id(o) + " " + Arrays.toString(new int[]{taps, up, down, firstPosition, outputCount}),
                () -> new TaskGraph(graphName())
                        .transferToDevice(DataTransferMode.FIRST_EXECUTION, h)
                        .transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                        .task("t", ResampleKernels::polyphaseResample, in, h, taps, up, down, firstPosition, o, outputCount)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, o));
    }

    @Override
    public synchronized void close() {
        for (TornadoExecutionPlan plan : plans.values()) {
            try {
                plan.close();
            } catch (TornadoExecutionPlanException e) {
                // device memory is released with the process anyway
            }
        }
        plans.clear();
    }
}
