package io.parley.kernels.accel;

import io.parley.kernels.linalg.MatmulKernels;
import io.parley.kernels.nn.ActivationKernels;
import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every backend's matrix product against the reference kernel, for each storage type, on shapes
 * that hit every edge: one row (a decoder step), a few rows (batched steps), a prompt's rows
 * split among threads, sizes that are not multiples of any vector width or tile, and Whisper's
 * own 1500 x 384 x 384.
 *
 * <p>Tolerance, the same for all three storage types because every backend widens the weights
 * exactly and accumulates in f32, only in another order: per output,
 * {@code |y - ref| <= 1e-5 * sum_p |x_p w_p| + 1e-6}. Reordering a sum of k terms in f32 moves
 * it by at most about {@code k * 2^-24} of that sum of magnitudes; 1e-5 covers k up to ~170,
 * and in practice the errors are random-walk and far smaller.
 */
class MatmulConformanceTest {

    static final int[][] SHAPES = {
            {1, 1, 1}, {1, 7, 1}, {7, 7, 7}, {1, 384, 1536}, {3, 384, 100}, {4, 65, 49},
            {5, 65, 49}, {8, 130, 97}, {9, 65, 49}, {33, 257, 131}, {97, 129, 47}, {130, 200, 150}, {1500, 384, 384},
    };

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        List<String> backends = new ArrayList<>(Backends.names());
        // The layout GPUs get (local-memory tiles), run on whatever device is here, PoCL in CI.
        backends.add("opencl-local-tiles");
        for (String backend : backends) {
            for (String dtype : List.of("f32", "f16", "int8")) {
                for (int[] s : SHAPES) {
                    cases.add(Arguments.of(backend, dtype, s[0], s[1], s[2]));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3}x{4}")
    @MethodSource("cases")
    void matchesTheReferenceKernel(String backend, String dtype, int m, int k, int n) {
        Random r = new Random(31L * m + 17L * k + n);
        float[] x = RandomData.gaussian(r, m * k, 1.0);
        float[] wf = RandomData.gaussian(r, n * k, 1.0 / Math.sqrt(k));
        float[] bias = RandomData.gaussian(r, n, 0.1);
        WeightMatrix w = switch (dtype) {
            case "f32" -> new F32Weights(n, k, wf);
            case "f16" -> F16Weights.of(new F32Weights(n, k, wf));
            default -> Int8Weights.quantize(n, k, wf);
        };
        float[] expected = new float[m * n];
        switch (w) {
            case F32Weights f -> MatmulKernels.f32(x, f.data(), bias, expected, m, k, n);
            case F16Weights h -> MatmulKernels.f16(x, h.bits(), bias, expected, m, k, n);
            case Int8Weights q -> MatmulKernels.int8(x, q.data(), q.scales(), bias, expected, m, k, n);
        }
        float[] dense = w.toFloats();

        Accelerator acc = Backends.get(backend);
        DeviceArray dx = acc.upload(x);
        DeviceArray db = acc.upload(bias);
        DeviceArray dy = acc.allocate(m * n);
        DeviceWeights dw = acc.upload(w);
        acc.matmul(dx, dw, db, dy, m);
        float[] got = acc.read(dy);
        compare(backend, dtype, m, k, n, x, dense, expected, got, "");
        // The same product with GELU applied as it is stored (a feed-forward layer's first half).
        acc.matmulGelu(dx, dw, db, dy, m);
        float[] geluExpected = expected.clone();
        ActivationKernels.gelu(geluExpected, geluExpected.length);
        compare(backend, dtype, m, k, n, x, dense, geluExpected, acc.read(dy), " then GELU");
        dx.close();
        db.close();
        dy.close();
        dw.close();
    }

    /** GELU's slope is at most 1.13, so the product's tolerance holds after it too. */
    private static void compare(String backend, String dtype, int m, int k, int n, float[] x, float[] dense,
                                float[] expected, float[] got, String what) {

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    magnitude += Math.abs(x[i * k + p] * dense[j * k + p]);
                }
                double tolerance = 1e-5 * magnitude + 1e-6;
                double diff = Math.abs(got[i * n + j] - expected[i * n + j]);
                if (!(diff <= tolerance)) {
                    fail(String.format("%s %s %dx%dx%d%s: y[%d][%d] = %g, reference %g (diff %g > %g)",
                            backend, dtype, m, k, n, what, i, j, got[i * n + j], expected[i * n + j], diff, tolerance));
                }
            }
        }
    }
}
