package io.parley.kernels.accel;

import io.parley.kernels.nn.ActivationKernels;
import io.parley.kernels.nn.AttentionKernels;
import io.parley.kernels.nn.ConvKernels;
import io.parley.kernels.nn.EmbeddingKernels;
import io.parley.kernels.nn.NormKernels;
import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.WeightMatrix;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every backend's other kernels against the reference kernels, on odd sizes. Tolerances:
 * element-wise kernels 1e-6 relative; GELU 2e-6 absolute (same erf fit, another exp); softmax
 * {@code 1e-5 + 1e-8 * cols} relative, because the reference sums a whole
 * row in f32 in order and so is itself off by about {@code cols * 2^-24} at worst (half a
 * thousandth over a 51865-token vocabulary), and layer norm 1e-4 absolute on outputs of unit
 * scale for the same reason; convolution and attention 1e-4.
 */
class KernelConformanceTest {

    static Iterable<String> backends() {
        return Backends.names();
    }

    private static void assertClose(String what, float[] expected, float[] got, double rel, double abs) {
        assertEquals(expected.length, got.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double tol = abs + rel * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - got[i]) <= tol)) {
                fail(String.format("%s[%d] = %g, reference %g", what, i, got[i], expected[i]));
            }
        }
    }

    /** The backend's GELU on {@code x} against the reference kernel's, within 2e-6. */
    private static void assertGelu(Accelerator acc, String what, float[] x) {
        float[] expected = x.clone();
        ActivationKernels.gelu(expected, x.length);
        DeviceArray d = acc.upload(x);
        acc.gelu(d, x.length);
        assertClose(what, expected, acc.read(d), 0, 2e-6);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void softmaxLayerNormAndElementWise(String backend) {
        Accelerator acc = Backends.get(backend);
        Random r = new Random(5);
        for (int[] shape : new int[][]{{1, 1}, {1, 7}, {3, 17}, {7, 51865}, {64, 384}}) {
            int rows = shape[0], cols = shape[1];
            float[] x = RandomData.gaussian(r, rows * cols, 3.0);
            float[] expected = x.clone();
            NormKernels.softmax(expected, rows, cols);
            DeviceArray d = acc.upload(x);
            acc.softmax(d, rows, cols);
            assertClose(backend + " softmax " + rows + "x" + cols, expected, acc.read(d), 1e-5 + 1e-8 * cols, 1e-9);

            float[] gamma = RandomData.gaussian(r, cols, 1.0);
            float[] beta = RandomData.gaussian(r, cols, 1.0);
            float[] ln = new float[rows * cols];
            NormKernels.layerNorm(x, gamma, beta, ln, rows, cols, 1e-5f);
            DeviceArray dx = acc.upload(x);
            DeviceArray dy = acc.allocate(rows * cols);
            acc.layerNorm(dx, acc.upload(gamma), acc.upload(beta), dy, rows, cols, 1e-5f);
            // Outputs are of unit scale: an absolute bound, as near-zero outputs carry the mean's error.
            assertClose(backend + " layerNorm " + rows + "x" + cols, ln, acc.read(dy), 1e-4, 1e-4);
        }
        for (int n : new int[]{1, 7, 1023, 100_003}) {
            float[] x = RandomData.gaussian(r, n, 2.0);
            assertGelu(acc, backend + " gelu", x);
            // Wide inputs, where erf saturates (|x| past 8.5) and exp(-x²/2) would be denormal.
            assertGelu(acc, backend + " gelu, wide", RandomData.gaussian(r, n, 12.0));

            float[] relu = x.clone();
            ActivationKernels.relu(relu, n);
            DeviceArray dr = acc.upload(x);
            acc.relu(dr, n);
            assertClose(backend + " relu", relu, acc.read(dr), 0, 0);

            float[] b = RandomData.gaussian(r, n, 1.0);
            float[] sum = x.clone();
            ActivationKernels.add(sum, b, n);
            ActivationKernels.scale(sum, 0.5f, n);
            DeviceArray ds = acc.upload(x);
            acc.add(ds, acc.upload(b), n);
            acc.scale(ds, 0.5f, n);
            assertClose(backend + " add+scale", sum, acc.read(ds), 1e-6, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void convolutionWithStrideOneAndTwo(String backend) {
        Accelerator acc = Backends.get(backend);
        Random r = new Random(11);
        for (int[] s : new int[][]{{1, 1, 1}, {7, 3, 5}, {300, 80, 64}, {301, 33, 17}}) {
            int tIn = s[0], cIn = s[1], cOut = s[2];
            float[] x = RandomData.gaussian(r, tIn * cIn, 1.0);
            float[] w = RandomData.gaussian(r, cOut * cIn * 3, 0.2);
            float[] bias = RandomData.gaussian(r, cOut, 0.1);
            for (int stride : new int[]{1, 2}) {
                for (WeightMatrix wm : new WeightMatrix[]{new F32Weights(cOut, cIn * 3, w),
                        F16Weights.of(new F32Weights(cOut, cIn * 3, w))}) {
                    int tOut = ConvKernels.outputLength(tIn, stride);
                    float[] expected = new float[tOut * cOut];
                    ConvKernels.conv1dK3(x, tIn, cIn, wm.toFloats(), bias, expected, cOut, stride);
                    DeviceArray dy = acc.allocate(tOut * cOut);
                    acc.conv1dK3(acc.upload(x), tIn, cIn, acc.upload(wm), acc.upload(bias), dy, stride);
                    assertClose(backend + " conv " + wm.dtype() + " stride " + stride + " " + tIn + "x" + cIn + "->" + cOut,
                            expected, acc.read(dy), 1e-4, 1e-4);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void attentionOverAKeyValueCache(String backend) {
        Accelerator acc = Backends.get(backend);
        Random r = new Random(13);
        // heads, headDim, tq, tk, qPosition, causal: a decoder step, a prompt, an encoder, odd sizes,
        // the hypotheses of a beam over one window (queries in groups of two to five, and the rest),
        // a word alignment's tokens over a 30 s window, a draft checked after a prompt, and a
        // prompt over a short window.
        int[][] cases = {{1, 1, 1, 1, 0, 1}, {6, 64, 1, 9, 8, 1}, {6, 64, 5, 12, 7, 1}, {4, 7, 3, 3, 0, 0},
                {8, 64, 37, 37, 0, 1}, {6, 64, 150, 150, 0, 0}, {8, 64, 1, 1500, 0, 0}, {8, 64, 5, 1500, 0, 0},
                {8, 64, 11, 301, 0, 0}, {8, 64, 4, 3, 0, 0}, {8, 64, 2, 17, 0, 0}, {8, 64, 3, 40, 0, 0},
                {8, 64, 8, 65, 0, 0}, {8, 64, 23, 1500, 0, 0}, {6, 64, 20, 60, 40, 1},
                {8, 64, 100, 400, 0, 0}};
        for (int[] c : cases) {
            int heads = c[0], dim = c[1], tq = c[2], tk = c[3], pos = c[4];
            boolean causal = c[5] == 1;
            int width = heads * dim;
            float[] q = RandomData.gaussian(r, tq * width, 1.0);
            float[] k = RandomData.gaussian(r, tk * width, 1.0);
            float[] v = RandomData.gaussian(r, tk * width, 1.0);
            float[] out = new float[tq * width];
            float[] probs = new float[heads * tq * tk];
            AttentionKernels.attention(q, k, v, out, probs, heads, dim, tq, tk, pos, causal ? 1 : 0);
            DeviceArray dOut = acc.allocate(tq * width);
            DeviceArray dProbs = acc.allocate(heads * tq * tk);
            acc.attention(acc.upload(q), acc.upload(k), acc.upload(v), dOut, dProbs, heads, dim, tq, tk, pos, causal);
            String what = backend + " attention " + java.util.Arrays.toString(c);
            assertClose(what + " probs", probs, acc.read(dProbs), 1e-4, 1e-6);
            assertClose(what + " out", out, acc.read(dOut), 1e-4, 1e-4);
        }
    }

    /**
     * Keys and values kept by {@link Accelerator#keyValueCache} (a cross-attention cache cut out
     * of a fused K/V product): read back, they are the source rows (rounded to f16 where a backend
     * keeps them so), and attention over the cache is attention over the values read back.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void attentionOverAKeyValueCacheKeptForReading(String backend) {
        Accelerator acc = Backends.get(backend);
        Random r = new Random(17);
        // heads, headDim, tq, tk: a decoder step, a beam's hypotheses, a batched prefix, odd sizes,
        // a word alignment's tokens, a long prompt (the matrix-product path).
        int[][] cases = {{8, 64, 1, 1500}, {8, 64, 5, 1500}, {6, 64, 40, 300}, {4, 7, 3, 11}, {8, 64, 4, 3},
                {8, 64, 23, 1500}, {8, 64, 130, 200}};
        for (int[] c : cases) {
            int heads = c[0], dim = c[1], tq = c[2], tk = c[3];
            int width = heads * dim;
            float[] fused = RandomData.gaussian(r, tk * 2 * width, 3.0);
            float[] q = RandomData.gaussian(r, tq * width, 1.0);
            DeviceArray dFused = acc.upload(fused);
            DeviceArray k = acc.keyValueCache(dFused, 0, 2 * width, tk, width);
            DeviceArray v = acc.keyValueCache(dFused, width, 2 * width, tk, width);
            float[] kept = acc.read(k);
            float[] keptV = acc.read(v);
            String what = backend + " cached attention " + java.util.Arrays.toString(c);
            for (int j = 0; j < tk; j++) {
                for (int e = 0; e < width; e++) {
                    float src = fused[j * 2 * width + e];
                    float srcV = fused[j * 2 * width + width + e];
                    // f16 keeps 11 significant bits, and steps of 2^-24 below its normals.
                    assertEquals(src, kept[j * width + e], Math.max(Math.abs(src) * 0x1p-11f, 0x1p-25f),
                            what + " key " + j + "," + e);
                    assertEquals(srcV, keptV[j * width + e], Math.max(Math.abs(srcV) * 0x1p-11f, 0x1p-25f),
                            what + " value " + j + "," + e);
                }
            }
            float[] out = new float[tq * width];
            float[] probs = new float[heads * tq * tk];
            AttentionKernels.attention(q, kept, keptV, out, probs, heads, dim, tq, tk, 0, 0);
            DeviceArray dOut = acc.allocate(tq * width);
            DeviceArray dProbs = acc.allocate(heads * tq * tk);
            acc.attention(acc.upload(q), k, v, dOut, dProbs, heads, dim, tq, tk, 0, false);
            assertClose(what + " probs", probs, acc.read(dProbs), 1e-4, 1e-6);
            assertClose(what + " out", out, acc.read(dOut), 1e-4, 1e-4);
            DeviceArray dOut2 = acc.allocate(tq * width);
            acc.attention(acc.upload(q), k, v, dOut2, heads, dim, tq, tk, 0, false);
            assertClose(what + " out, weights not kept", out, acc.read(dOut2), 1e-4, 1e-4);
        }
    }

    /** The JVM backend keeps a cache as f16, unless a value would not fit, when it keeps f32. */
    @ParameterizedTest
    @MethodSource("backends")
    void theJvmBackendKeepsACacheInHalfPrecisionWhenItFits(String backend) {
        Assumptions.assumeTrue(backend.startsWith("jvm"), "f16 caches are the JVM backend's choice");
        Accelerator acc = Backends.get(backend);
        float[] values = {1f / 3, -2.7182817f, 1000.1f, 6.1e-5f, 0f};
        float[] kept = acc.read(acc.keyValueCache(acc.upload(values), 0, values.length, 1, values.length));
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), kept[i], 0f, "value " + i + " as f16");
        }
        float[] large = {1f / 3, 70000f};
        float[] keptLarge = acc.read(acc.keyValueCache(acc.upload(large), 0, large.length, 1, large.length));
        assertArrayEquals(large, keptLarge, 0f, "beyond f16's range: kept as f32");
    }

    @ParameterizedTest
    @MethodSource("backends")
    void polyphaseResampling(String backend) {
        Accelerator acc = Backends.get(backend);
        Random r = new Random(19);
        // 48 kHz -> 16 kHz (up 1, down 3) and 44.1 kHz -> 16 kHz (up 160, down 441), odd tap counts.
        for (int[] c : new int[][]{{1, 3, 97}, {160, 441, 37}, {2, 3, 7}}) {
            int up = c[0], down = c[1], taps = c[2];
            float[] h = RandomData.gaussian(r, up * taps, 0.1);
            int outCount = 1001;
            int firstPosition = up / 2;
            int inLength = (firstPosition + (outCount - 1) * down) / up + taps;
            float[] in = RandomData.gaussian(r, inLength, 1.0);
            float[] expected = new float[outCount];
            io.parley.kernels.signal.ResampleKernels.polyphaseResample(in, h, taps, up, down, firstPosition, expected, outCount);
            DeviceArray out = acc.allocate(outCount);
            acc.resample(acc.upload(in), acc.upload(h), taps, up, down, firstPosition, out, outCount);
            assertClose(backend + " resample " + up + "/" + down, expected, acc.read(out), 1e-5, 1e-5);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void embeddingLookupWithPositions(String backend) {
        Accelerator acc = Backends.get(backend);
        Random r = new Random(17);
        int vocab = 50, dim = 12, positions = 20;
        float[] table = RandomData.gaussian(r, vocab * dim, 1.0);
        float[] pos = RandomData.gaussian(r, positions * dim, 1.0);
        int[] ids = {3, 0, 49, 3, 7};
        float[] expected = new float[ids.length * dim];
        EmbeddingKernels.embed(table, ids, 4f, pos, 6, expected, ids.length, dim);
        DeviceArray out = acc.allocate(ids.length * dim);
        acc.embed(acc.upload(table), ids, 4f, acc.upload(pos), 6, out, dim);
        assertClose(backend + " embed", expected, acc.read(out), 1e-6, 0);
    }
}
