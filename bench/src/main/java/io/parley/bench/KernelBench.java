package io.parley.bench;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorFactory;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.tensor.F16Weights;
import io.parley.kernels.tensor.F32Weights;
import io.parley.kernels.tensor.Int8Weights;
import io.parley.kernels.tensor.WeightMatrix;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The kernels' speed: GFLOP/s of the matrix product at Whisper's shapes and at 1024³ for each
 * backend and storage type, OpenBLAS on the same products, the FMA peak, and the bandwidth the
 * f32/f16/int8 matrix-vector products reach next to a plain memory copy of the same size.
 *
 * <p>These machines are shared and their speed wanders from second to second. Every
 * measurement is therefore taken in several rounds, each round visiting every configuration
 * once, and the median over rounds is reported: a slow patch of the machine then hits Parley
 * and its peer alike. Records: {@code {"kernel","shape","backend","gflops"|"gbps", ...}}.
 */
final class KernelBench {

    static final int[][] MATMUL_SHAPES = {{1500, 384, 384}, {1500, 384, 1536}, {1500, 512, 512}, {1500, 512, 2048},
            {1024, 1024, 1024}};
    /** A decoder step over weights far larger than the caches: what memory bandwidth allows. */
    static final int[] GEMV_SHAPE = {1, 16384, 8192};
    static final int ROUNDS = 5;
    static final int OPENCL_ROUNDS = 3;

    private KernelBench() {
    }

    private record Key(String kernel, String shape, String backend) {
    }

    private static final class Samples {
        final Map<Key, List<Double>> values = new LinkedHashMap<>();

        void add(Key key, double v) {
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        }
    }

    static JsonArray run() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        Accelerator jvm = AcceleratorFactory.create(new AcceleratorConfig("jvm", threads, ""));
        Accelerator opencl = null;
        try {
            opencl = AcceleratorFactory.create(new AcceleratorConfig("opencl", 0, ""));
            BenchOutput.progress("opencl device: " + opencl.device());
        } catch (RuntimeException e) {
            BenchOutput.progress("no OpenCL device, its rows are left out: " + e.getMessage());
        }
        OpenBlas blas = OpenBlas.load();
        BenchOutput.progress("OpenBLAS: " + blas.config() + ", " + blas.threads() + " threads");
        Samples gflops = new Samples();
        Samples gbps = new Samples();
        Random r = new Random(42);

        // ---- matrix products ----
        try (Arena arena = Arena.ofConfined()) {
            for (int[] s : MATMUL_SHAPES) {
                int m = s[0], k = s[1], n = s[2];
                String shape = m + "x" + k + "x" + n;
                BenchOutput.progress("matmul " + shape);
                float[] x = gaussian(r, m * k);
                float[] w = gaussian(r, n * k);
                Map<String, WeightMatrix> weights = new LinkedHashMap<>();
                weights.put("f32", new F32Weights(n, k, w));
                weights.put("f16", F16Weights.of(new F32Weights(n, k, w)));
                weights.put("int8", Int8Weights.quantize(n, k, w));
                MemorySegment bx = arena.allocate(4L * m * k, 64);
                MemorySegment bw = arena.allocate(4L * n * k, 64);
                MemorySegment by = arena.allocate(4L * m * n, 64);
                MemorySegment.copy(x, 0, bx, ValueLayout.JAVA_FLOAT, 0, x.length);
                MemorySegment.copy(w, 0, bw, ValueLayout.JAVA_FLOAT, 0, w.length);
                double flops = 2.0 * m * k * n;
                Timed jvmRun = prepare(jvm, x, weights, m);
                Timed clRun = opencl == null ? null : prepare(opencl, x, weights, m);
                for (int round = 0; round < ROUNDS; round++) {
                    for (String dtype : weights.keySet()) {
                        gflops.add(new Key("matmul_" + dtype, shape, "jvm"), flops / jvmRun.seconds(dtype, 4) / 1e9);
                    }
                    gflops.add(new Key("matmul_f32", shape, "openblas"),
                            flops / time(() -> blas.multiply(bx, bw, by, m, k, n), 4) / 1e9);
                    if (clRun != null && round < OPENCL_ROUNDS) {
                        for (String dtype : weights.keySet()) {
                            gflops.add(new Key("matmul_" + dtype, shape, "opencl"), flops / clRun.seconds(dtype, 1) / 1e9);
                        }
                    }
                }
                jvmRun.close();
                if (clRun != null) {
                    clRun.close();
                }
            }
        }

        // ---- matrix-vector products against a copy of the same size ----
        int k = GEMV_SHAPE[1], n = GEMV_SHAPE[2];
        String shape = "1x" + k + "x" + n;
        BenchOutput.progress("gemv " + shape + " (weights far beyond the caches) and memory copy");
        float[] w = gaussian(r, n * k);
        Map<String, WeightMatrix> weights = new LinkedHashMap<>();
        weights.put("f16", F16Weights.of(new F32Weights(n, k, w)));
        weights.put("int8", Int8Weights.quantize(n, k, w));
        weights.put("f32", new F32Weights(n, k, w));
        w = null;
        Timed gemv = prepare(jvm, gaussian(r, k), weights, 1);
        byte[] source = new byte[(int) weights.get("int8").bytes()];
        r.nextBytes(source);
        byte[] target = new byte[source.length];
        for (int round = 0; round < ROUNDS; round++) {
            for (String dtype : weights.keySet()) {
                gbps.add(new Key("gemv_" + dtype, shape, "jvm"), weights.get(dtype).bytes() / gemv.seconds(dtype, 3) / 1e9);
            }
            gbps.add(new Key("copy", source.length / (1 << 20) + "MiB", "copy"),
                    source.length / time(() -> parallelCopy(source, target, threads), 3) / 1e9);
        }
        gemv.close();

        // ---- peak ----
        List<Double> peaks = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            peaks.add(FmaPeak.measure(threads));
        }

        JsonArray records = new JsonArray();
        gflops.values.forEach((key, v) -> {
            JsonObject rec = record(key, "gflops", v, threads);
            List<Double> blasRounds = gflops.values.get(new Key("matmul_f32", key.shape(), "openblas"));
            if (key.backend().equals("jvm") && blasRounds != null) {
                rec.put("vsOpenblas", medianRatio(v, blasRounds));
            }
            // OpenCL against the JVM backend on the same product and storage.
            List<Double> jvmRounds = gflops.values.get(new Key(key.kernel(), key.shape(), "jvm"));
            if (key.backend().equals("opencl") && jvmRounds != null) {
                rec.put("vsJvm", medianRatio(v, jvmRounds));
            }
            records.add(rec);
        });
        gbps.values.forEach((key, v) -> records.add(record(key, "gbps", v, threads)));
        records.add(record(new Key("fma_f32", FmaPeak.lanes() + "-lane", "peak"), "gflops", peaks, threads));
        summary(records);
        jvm.close();
        if (opencl != null) {
            opencl.close();
        }
        return records;
    }

    /**
     * The ratio of two backends round by round (both measured seconds apart), then its median: a
     * slow patch of the machine then counts against both, not against one.
     */
    private static double medianRatio(List<Double> values, List<Double> baseline) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(values.size(), baseline.size()); i++) {
            ratios.add(values.get(i) / baseline.get(i));
        }
        return Percentiles.round(Percentiles.of(ratios, 50), 2);
    }

    private static JsonObject record(Key key, String unit, List<Double> values, int threads) {
        List<Double> sorted = values.stream().sorted().toList();
        double median = Percentiles.of(values, 50);
        return new JsonObject().put("kernel", key.kernel()).put("shape", key.shape()).put("backend", key.backend())
                .put(unit, Percentiles.round(median, 1))
                .put("min", Percentiles.round(sorted.getFirst(), 1)).put("max", Percentiles.round(sorted.getLast(), 1))
                .put("rounds", values.size()).put("threads", threads);
    }

    /** Prints the targets of the issue against what was measured. */
    private static void summary(JsonArray records) {
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, Double> ratio = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonObject o = records.getJsonObject(i);
            String key = o.getString("kernel") + " " + o.getString("shape") + " " + o.getString("backend");
            v.put(key, o.containsKey("gflops") ? o.getDouble("gflops") : o.getDouble("gbps"));
            if (o.containsKey("vsOpenblas")) {
                ratio.put(key, o.getDouble("vsOpenblas"));
            }
            if (o.containsKey("vsJvm")) {
                BenchOutput.progress(String.format("%s on %s: opencl %.0f GFLOP/s, %.2fx the jvm backend",
                        o.getString("kernel"), o.getString("shape"), o.getDouble("gflops"), o.getDouble("vsJvm")));
            }
        }
        double peak = v.entrySet().stream().filter(e -> e.getKey().startsWith("fma_f32")).findFirst().orElseThrow().getValue();
        for (int[] s : MATMUL_SHAPES) {
            String shape = s[0] + "x" + s[1] + "x" + s[2];
            double j = v.get("matmul_f32 " + shape + " jvm");
            double b = v.get("matmul_f32 " + shape + " openblas");
            BenchOutput.progress(String.format("matmul_f32 %s: jvm %.0f GFLOP/s, %.2fx OpenBLAS (%.0f; median of"
                            + " per-round ratios), %.0f%% of peak (%.0f)",
                    shape, j, ratio.get("matmul_f32 " + shape + " jvm"), b, 100 * j / peak, peak));
        }
        String gemv = "1x" + GEMV_SHAPE[1] + "x" + GEMV_SHAPE[2];
        double copy = v.entrySet().stream().filter(e -> e.getKey().startsWith("copy")).findFirst().orElseThrow().getValue();
        for (String dtype : List.of("int8", "f16", "f32")) {
            double g = v.get("gemv_" + dtype + " " + gemv + " jvm");
            BenchOutput.progress(String.format("gemv_%s: %.1f GB/s = %.0f%% of copy (%.1f GB/s)", dtype, g, 100 * g / copy, copy));
        }
    }

    /** One backend's prepared product for each storage type. */
    private static final class Timed {
        final Accelerator acc;
        final DeviceArray x;
        final DeviceArray y;
        final Map<String, DeviceWeights> weights = new LinkedHashMap<>();
        final int m;

        Timed(Accelerator acc, DeviceArray x, DeviceArray y, int m) {
            this.acc = acc;
            this.x = x;
            this.y = y;
            this.m = m;
        }

        double seconds(String dtype, int reps) {
            DeviceWeights w = weights.get(dtype);
            float[] one = new float[1];
            return time(() -> {
                acc.matmul(x, w, null, y, m);
                acc.read(y, 0, one, 0, 1); // waits for an asynchronous backend
            }, reps);
        }

        void close() {
            x.close();
            y.close();
            weights.values().forEach(DeviceWeights::close);
        }
    }

    private static Timed prepare(Accelerator acc, float[] x, Map<String, WeightMatrix> weights, int m) {
        int n = weights.values().iterator().next().rows();
        Timed t = new Timed(acc, acc.upload(x), acc.allocate(m * n), m);
        weights.forEach((dtype, w) -> t.weights.put(dtype, acc.upload(w)));
        for (String dtype : weights.keySet()) {
            t.seconds(dtype, 1); // warm-up: compiled and caches primed before anything is timed
        }
        return t;
    }

    /** Mean seconds per run over {@code reps} runs, after one untimed run. */
    private static double time(Runnable run, int reps) {
        run.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            run.run();
        }
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    private static void parallelCopy(byte[] source, byte[] target, int threads) {
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) source.length * t / threads);
            int to = (int) ((long) source.length * (t + 1) / threads);
            workers[t] = Thread.ofPlatform().start(() -> System.arraycopy(source, from, target, from, to - from));
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
