package io.parley.kernels.nn;

import io.parley.kernels.annotations.Parallel;

/** Reference element-wise kernels, in place over {@code n} elements. */
public final class ActivationKernels {

    private ActivationKernels() {
    }

    /** GELU as PyTorch's default defines it (and Whisper uses it): {@code x/2 (1 + erf(x / sqrt 2))}. */
    public static void gelu(float[] x, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float v = x[i];
            x[i] = 0.5f * v * (1f + erf(v * 0.70710678f));
        }
    }

    public static void relu(float[] x, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            x[i] = Math.max(0f, x[i]);
        }
    }

    /** {@code a += b}: residual connections. */
    public static void add(float[] a, float[] b, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            a[i] += b[i];
        }
    }

    /** {@code x *= s}. */
    public static void scale(float[] x, float s, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            x[i] *= s;
        }
    }

    /**
     * The error function, to within 1.2e-7 (the Chebyshev fit of erfc in Numerical Recipes,
     * 2nd ed., section 6.2), with no table and no objects so that every backend can run it.
     */
    public static float erf(float x) {
        float z = Math.abs(x);
        float t = 1f / (1f + 0.5f * z);
        float poly = -z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
                + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
                + t * (-0.82215223f + t * 0.17087277f))))))));
        float erfc = t * (float) Math.exp(poly);
        return x >= 0 ? 1f - erfc : erfc - 1f;
    }
}
