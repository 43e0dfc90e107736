package io.parley.kernels.accel;

import java.util.Random;

/** Reproducible random test data. */
final class RandomData {

    private RandomData() {
    }

    static float[] gaussian(Random r, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sd);
        }
        return x;
    }
}
