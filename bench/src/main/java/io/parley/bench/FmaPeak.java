package io.parley.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's measured single-precision FMA peak: on every core, twelve independent chains of
 * fused multiply-adds on the widest vectors (enough to hide the FMA latency on two ports), and
 * nothing else.
 */
final class FmaPeak {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaPeak() {
    }

    static float chains(long iterations, float seed) {
        FloatVector a0 = FloatVector.broadcast(F, seed), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        FloatVector m = FloatVector.broadcast(F, 0.9999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-7f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** GFLOP/s on {@code threads} threads. */
    static double measure(int threads) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            chains(100_000, i); // the whole method compiled (not only its loop) before it is timed
        }
        long iterations = 100_000_000;
        Thread[] workers = new Thread[threads];
        float[] sink = new float[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = Thread.ofPlatform().start(() -> sink[id] = chains(iterations, id));
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (Float.isNaN(sink[0])) {
            throw new IllegalStateException("unreachable: keeps the loop alive");
        }
        return threads * iterations * CHAINS * F.length() * 2.0 / seconds / 1e9;
    }

    static int lanes() {
        return F.length();
    }
}
