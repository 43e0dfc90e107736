package io.parley.kernels.signal;

import io.parley.kernels.annotations.Parallel;

/**
 * Rational-rate resampling by a polyphase FIR filter bank.
 *
 * <p>Conceptually the input is upsampled by {@code up} (zeros inserted), low-pass filtered at
 * the upsampled rate and decimated by {@code down}. The polyphase form computes only the
 * outputs that survive decimation and skips the multiplications by inserted zeros: output
 * {@code n} sits at position {@code m = firstPosition + n * down} of the upsampled grid, uses
 * phase {@code m % up} of the filter bank and a window of {@code taps} consecutive input
 * samples starting at {@code m / up}.
 */
public final class ResampleKernels {

    private ResampleKernels() {
    }

    /**
     * Reference kernel.
     *
     * @param input         input samples; the window of output {@code n} is
     *                      {@code input[m/up .. m/up + taps - 1]}
     * @param phaseTaps     filter bank, {@code up} phases of {@code taps} coefficients each,
     *                      phase-major, already reversed so that each output is a plain dot product
     * @param taps          coefficients per phase
     * @param up            interpolation factor
     * @param down          decimation factor
     * @param firstPosition position of output 0 on the upsampled grid
     * @param output        receives {@code outputCount} samples
     * @param outputCount   number of outputs to compute
     */
    public static void polyphaseResample(float[] input, float[] phaseTaps, int taps, int up, int down,
                                         int firstPosition, float[] output, int outputCount) {
        for (@Parallel int n = 0; n < outputCount; n++) {
            int m = firstPosition + n * down;
            int start = m / up;
            int phaseBase = (m - start * up) * taps;
            float acc = 0f;
            for (int i = 0; i < taps; i++) {
                acc += phaseTaps[phaseBase + i] * input[start + i];
            }
            output[n] = acc;
        }
    }
}
