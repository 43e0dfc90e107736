package io.parley.kernels.signal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mixed-radix FFT against a direct DFT, in double precision. */
class FftTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 12, 35, 64, 400, 512, 1000})
    void matchesADirectDft(int n) {
        FftPlan plan = FftPlan.of(n);
        Random r = new Random(n);
        double[] xr = new double[n];
        double[] xi = new double[n];
        float[] re = new float[n];
        float[] im = new float[n];
        for (int i = 0; i < n; i++) {
            xr[i] = r.nextGaussian();
            xi[i] = r.nextGaussian();
            re[plan.permutation()[i]] = (float) xr[i];
            im[plan.permutation()[i]] = (float) xi[i];
        }
        FftKernels.fftInPlace(re, im, 0, plan.ints(), plan.twiddles(), new float[2 * plan.maxRadix()], 0);
        double maxError = 0;
        double scale = Math.sqrt(n);
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * ((long) k * t % n) / n;
                sr += xr[t] * Math.cos(a) - xi[t] * Math.sin(a);
                si += xr[t] * Math.sin(a) + xi[t] * Math.cos(a);
            }
            maxError = Math.max(maxError, Math.hypot(re[k] - sr, im[k] - si) / scale);
        }
        // f32 arithmetic over log(n) stages: errors of a few ulps of the typical magnitude sqrt(n).
        assertTrue(maxError < 2e-6 * Math.max(1, Math.log(n) / Math.log(2)), "n=" + n + " max error " + maxError);
    }
}
