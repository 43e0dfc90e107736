package io.parley.kernels.jvm;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.accel.MelSpec;
import io.parley.kernels.nn.ConvKernels;
import io.parley.kernels.nn.EmbeddingKernels;
import io.parley.kernels.signal.FftKernels;
import io.parley.kernels.signal.FftPlan;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.WeightMatrix;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default backend: the kernels on the JVM's own threads, vectorised with
 * {@code jdk.incubator.vector} at the machine's widest vector size, matrix products cache-blocked
 * ({@link Gemm}), and every {@code @Parallel} loop split across all cores. Operations run
 * synchronously, so {@link #read} never waits.
 */
public final class JvmAccelerator implements Accelerator {

    private static final VectorSpecies<Float> F = Gemm.F;
    private static final int L = F.length();

    private final ParallelLoop loop;
    private final Map<MelSpec, MelFrontEnd> melFrontEnds = new ConcurrentHashMap<>();

    /** @param threads worker threads; the machine's core count is the natural choice */
    public JvmAccelerator(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the JVM backend needs at least one thread, not " + threads);
        }
        this.loop = new ParallelLoop(threads);
    }

    public JvmAccelerator() {
        this(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public String device() {
        return "JVM, " + loop.threads() + " threads, " + F.vectorBitSize() + "-bit vectors";
    }

    private static float[] a(DeviceArray d) {
        if (d instanceof JvmHalfArray) {
            throw new IllegalArgumentException("a key/value cache kept in f16 is read only by attention and read()");
        }
        return ((JvmArray) d).data;
    }

    /** Keys or values as attention reads them: {@code float[]}, or {@code short[]} f16 bits. */
    private static Object keysOrValues(DeviceArray d) {
        return d instanceof JvmHalfArray h ? h.bits : a(d);
    }

    // ---- memory ----

    @Override
    public DeviceArray allocate(int length) {
        return new JvmArray(new float[length]);
    }

    @Override
    public void write(DeviceArray dst, int dstOffset, float[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, a(dst), dstOffset, length);
    }

    @Override
    public void read(DeviceArray src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (src instanceof JvmHalfArray h) {
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = Float.float16ToFloat(h.bits[srcOffset + i]);
            }
            return;
        }
        System.arraycopy(a(src), srcOffset, dst, dstOffset, length);
    }

    /**
     * Kept as f16: attention over a cross-attention cache is bound by the bytes it reads, and
     * keys and values are inputs to dot products whose sums are kept in f32, where f16's 11
     * significant bits change the weights less than int8 weights do. A value beyond f16's
     * range (65504) would become infinite, so such a cache stays in f32.
     */
    @Override
    public DeviceArray keyValueCache(DeviceArray src, int srcOffset, int srcStride, int rows, int cols) {
        float[] from = a(src);
        short[] bits = new short[rows * cols];
        boolean[] outOfRange = new boolean[1];
        loop.forRange(rows, 64, (r0, r1) -> {
            for (int r = r0; r < r1 && !outOfRange[0]; r++) {
                int s = srcOffset + r * srcStride;
                int d = r * cols;
                float max = 0f;
                for (int c = 0; c < cols; c++) {
                    float x = from[s + c];
                    max = Math.max(max, Math.abs(x));
                    bits[d + c] = Float.floatToFloat16(x);
                }
                if (!(max <= HALF_MAX)) {
                    outOfRange[0] = true;
                }
            }
        });
        if (outOfRange[0]) {
            return Accelerator.super.keyValueCache(src, srcOffset, srcStride, rows, cols);
        }
        return new JvmHalfArray(bits);
    }

    /** The largest finite f16. */
    private static final float HALF_MAX = 65504f;

    @Override
    public void copy(DeviceArray src, int srcOffset, DeviceArray dst, int dstOffset, int length) {
        System.arraycopy(a(src), srcOffset, a(dst), dstOffset, length);
    }

    @Override
    public DeviceWeights upload(WeightMatrix weights) {
        return new PackedWeights(weights);
    }

    // ---- kernels ----

    @Override
    public void matmul(DeviceArray x, DeviceWeights w, DeviceArray bias, DeviceArray y, int m) {
        PackedWeights pw = (PackedWeights) w;
        Gemm.multiply(loop, a(x), m, pw, bias == null ? null : a(bias), a(y));
    }

    @Override
    public void matmulGelu(DeviceArray x, DeviceWeights w, DeviceArray bias, DeviceArray y, int m) {
        Gemm.multiply(loop, a(x), m, (PackedWeights) w, bias == null ? null : a(bias), a(y), true);
    }

    @Override
    public void softmax(DeviceArray x, int rows, int cols) {
        float[] v = a(x);
        loop.forRange(rows, Math.max(1, 4096 / Math.max(1, cols)), (from, to) -> {
            for (int r = from; r < to; r++) {
                VectorMath.softmaxRow(v, r * cols, cols);
            }
        });
    }

    @Override
    public void layerNorm(DeviceArray x, DeviceArray gamma, DeviceArray beta, DeviceArray y, int rows, int cols, float eps) {
        float[] in = a(x), g = a(gamma), b = a(beta), out = a(y);
        loop.forRange(rows, Math.max(1, 8192 / Math.max(1, cols)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * cols;
                FloatVector sumV = FloatVector.zero(F);
                int c = 0;
                for (; c <= cols - L; c += L) {
                    sumV = sumV.add(FloatVector.fromArray(F, in, base + c));
                }
                float sum = sumV.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    sum += in[base + c];
                }
                float mean = sum / cols;
                FloatVector varV = FloatVector.zero(F);
                c = 0;
                for (; c <= cols - L; c += L) {
                    FloatVector d = FloatVector.fromArray(F, in, base + c).sub(mean);
                    varV = d.fma(d, varV);
                }
                float var = varV.reduceLanes(VectorOperators.ADD);
                for (; c < cols; c++) {
                    float d = in[base + c] - mean;
                    var += d * d;
                }
                float inv = (float) (1.0 / Math.sqrt(var / cols + eps));
                c = 0;
                for (; c <= cols - L; c += L) {
                    FloatVector.fromArray(F, in, base + c).sub(mean).mul(inv)
                            .fma(FloatVector.fromArray(F, g, c), FloatVector.fromArray(F, b, c))
                            .intoArray(out, base + c);
                }
                for (; c < cols; c++) {
                    out[base + c] = (in[base + c] - mean) * inv * g[c] + b[c];
                }
            }
        });
    }

    @Override
    public void gelu(DeviceArray x, int n) {
        float[] v = a(x);
        loop.forRange(n, 1 << 14, (from, to) -> {
            int i = from;
            for (; i <= to - L; i += L) {
                VectorMath.gelu(FloatVector.fromArray(F, v, i)).intoArray(v, i);
            }
            for (; i < to; i++) {
                v[i] = VectorMath.gelu(v[i]);
            }
        });
    }

    @Override
    public void relu(DeviceArray x, int n) {
        float[] v = a(x);
        loop.forRange(n, 1 << 15, (from, to) -> {
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector.fromArray(F, v, i).max(0f).intoArray(v, i);
            }
            for (; i < to; i++) {
                v[i] = Math.max(0f, v[i]);
            }
        });
    }

    @Override
    public void add(DeviceArray acc, DeviceArray b, int n) {
        float[] x = a(acc), y = a(b);
        loop.forRange(n, 1 << 15, (from, to) -> {
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector.fromArray(F, x, i).add(FloatVector.fromArray(F, y, i)).intoArray(x, i);
            }
            for (; i < to; i++) {
                x[i] += y[i];
            }
        });
    }

    @Override
    public void scale(DeviceArray x, float s, int n) {
        float[] v = a(x);
        loop.forRange(n, 1 << 15, (from, to) -> {
            int i = from;
            for (; i <= to - L; i += L) {
                FloatVector.fromArray(F, v, i).mul(s).intoArray(v, i);
            }
            for (; i < to; i++) {
                v[i] *= s;
            }
        });
    }

    @Override
    public void conv1dK3(DeviceArray x, int tIn, int cIn, DeviceWeights w, DeviceArray bias, DeviceArray y, int stride) {
        PackedWeights pw = ((PackedWeights) w).convOrder();
        if (pw.cols != 3 * cIn) {
            throw new IllegalArgumentException("conv weights have " + pw.cols + " columns, expected 3 x " + cIn);
        }
        int tOut = ConvKernels.outputLength(tIn, stride);
        float[] in = a(x);
        // im2col: row t holds input frames t*stride-1, t*stride, t*stride+1 (zeros outside).
        float[] cols = new float[tOut * 3 * cIn];
        loop.forRange(tOut, 64, (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int kk = 0; kk < 3; kk++) {
                    int ti = t * stride + kk - 1;
                    if (ti >= 0 && ti < tIn) {
                        System.arraycopy(in, ti * cIn, cols, (t * 3 + kk) * cIn, cIn);
                    }
                }
            }
        });
        Gemm.multiply(loop, cols, tOut, pw, a(bias), a(y));
    }

    @Override
    public void attention(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out, DeviceArray probs,
                          int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        attend(q, k, v, out, a(probs), heads, headDim, tq, tk, qPosition, causal);
    }

    @Override
    public void attention(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out,
                          int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        attend(q, k, v, out, null, heads, headDim, tq, tk, qPosition, causal);
    }

    /** Attention over an f32 cache, or one kept in f16 ({@link #keyValueCache}); weights into {@code probs} if not null. */
    private void attend(DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out, float[] probs,
                        int heads, int headDim, int tq, int tk, int qPosition, boolean causal) {
        boolean severalQueriesAcrossTheCache = !causal && tq >= HeadRowsAttention.ROWS_FROM
                && tq < HeadRowsAttention.GEMM_FROM;
        if (k instanceof JvmHalfArray || v instanceof JvmHalfArray || severalQueriesAcrossTheCache) {
            HeadRowsAttention.run(loop, a(q), keysOrValues(k), keysOrValues(v), a(out), probs, heads, headDim,
                    tq, tk, qPosition, causal);
            return;
        }
        JvmAttention.run(loop, a(q), a(k), a(v), a(out), probs, heads, headDim, tq, tk, qPosition, causal);
    }

    @Override
    public void embed(DeviceArray table, int[] ids, float scale, DeviceArray positions, int firstPosition,
                      DeviceArray out, int dim) {
        EmbeddingKernels.embed(a(table), ids, scale, a(positions), firstPosition, a(out), ids.length, dim);
    }

    @Override
    public void logMel(DeviceArray audio, int samples, MelSpec spec, DeviceArray out) {
        melFrontEnds.computeIfAbsent(spec, MelFrontEnd::new).run(a(audio), samples, a(out));
    }

    /** A mel front end's tables and its filters packed as weights, made once per spec. */
    private final class MelFrontEnd {
        final MelSpec spec;
        final FftPlan plan;
        final int[] planInts;
        final float[] twiddles;
        final float[] window;
        final PackedWeights filters;

        MelFrontEnd(MelSpec spec) {
            this.spec = spec;
            this.plan = spec.plan();
            this.planInts = plan.ints();
            this.twiddles = plan.twiddles();
            this.window = FftKernels.hannWindow(spec.nFft());
            this.filters = new PackedWeights(new F32Weights(spec.nMels(), spec.bins(), spec.filters()));
        }

        void run(float[] audio, int samples, float[] out) {
            int n = spec.nFft();
            int frames = FftKernels.frameCount(samples, spec.hop());
            int bins = spec.bins();
            float[] power = new float[frames * bins];
            int scratch = 2 * plan.maxRadix();
            loop.forRange(frames, 32, (from, to) -> {
                int count = to - from;
                float[] re = new float[count * n];
                float[] im = new float[count * n];
                float[] tmp = new float[count * scratch];
                float[] part = new float[count * bins];
                stftChunk(audio, samples, from, count, re, im, tmp, part);
                System.arraycopy(part, 0, power, from * bins, count * bins);
            });
            Gemm.multiply(loop, power, frames, filters, null, out);
            int total = frames * spec.nMels();
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < total; i++) {
                float v = (float) Math.log10(Math.max(out[i], 1e-10f));
                out[i] = v;
                max = Math.max(max, v);
            }
            float floor = max - 8f;
            for (int i = 0; i < total; i++) {
                out[i] = (Math.max(out[i], floor) + 4f) / 4f;
            }
        }

        private void stftChunk(float[] audio, int samples, int firstFrame, int count,
                               float[] re, float[] im, float[] tmp, float[] power) {
            int n = spec.nFft();
            int bins = spec.bins();
            int hop = spec.hop();
            int scratch = 2 * plan.maxRadix();
            for (int f = 0; f < count; f++) {
                int base = f * n;
                int start = (firstFrame + f) * hop - n / 2;
                for (int i = 0; i < n; i++) {
                    int s = start + i;
                    if (s < 0) {
                        s = -s;
                    }
                    if (s >= samples) {
                        s = 2 * (samples - 1) - s;
                    }
                    int p = base + plan.permutation()[i];
                    re[p] = audio[s] * window[i];
                    im[p] = 0f;
                }
                FftKernels.fftInPlace(re, im, base, planInts, twiddles, tmp, f * scratch);
                for (int b = 0; b < bins; b++) {
                    float r = re[base + b];
                    float i = im[base + b];
                    power[f * bins + b] = r * r + i * i;
                }
            }
        }
    }

    @Override
    public void resample(DeviceArray input, DeviceArray phaseTaps, int taps, int up, int down, int firstPosition,
                         DeviceArray output, int outputCount) {
        float[] in = a(input), h = a(phaseTaps), out = a(output);
        loop.forRange(outputCount, 2048, (from, to) -> {
            for (int i = from; i < to; i++) {
                int m = firstPosition + i * down;
                int start = m / up;
                int phase = (m - start * up) * taps;
                out[i] = VectorMath.dot(h, phase, in, start, taps);
            }
        });
    }

    @Override
    public void close() {
        loop.close();
    }
}
