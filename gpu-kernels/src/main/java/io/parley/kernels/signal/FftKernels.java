package io.parley.kernels.signal;

import io.parley.kernels.annotations.Parallel;

/**
 * Reference real-input FFTs of many frames at once: the Hann-windowed short-time Fourier
 * transform's power spectrum, as Whisper's front end computes it. One frame per parallel
 * iteration; each frame's transform is the mixed-radix decimation-in-time FFT of an
 * {@link FftPlan} (passed as {@link FftPlan#ints()} and {@link FftPlan#twiddles()}), done in
 * place in that frame's slice of the scratch arrays.
 */
public final class FftKernels {

    private FftKernels() {
    }

    /** Whisper's (and PyTorch's default) periodic Hann window: {@code 0.5 - 0.5 cos(2 pi i / n)}. */
    public static float[] hannWindow(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        return w;
    }

    /** Frames of a centred STFT: one per hop, the last dropped, as Whisper does. */
    public static int frameCount(int samples, int hop) {
        return samples / hop;
    }

    /**
     * Power spectrum {@code |X|^2} of frames of {@code signal}, centred: frame {@code f} covers
     * samples {@code f*hop - n/2 .. f*hop + n/2 - 1}, reflected at both ends of the signal
     * (PyTorch's {@code center=True, pad_mode="reflect"}), times {@code window}.
     *
     * @param power  output, {@code frames x (n/2 + 1)}
     * @param re     scratch, {@code frames x n}
     * @param im     scratch, {@code frames x n}
     * @param tmp    scratch, {@code frames x 2 * maxRadix}
     */
    public static void stftPower(float[] signal, int samples, int hop, int frames, float[] window,
                                 int[] plan, float[] twiddles, float[] re, float[] im, float[] tmp, float[] power) {
        int n = plan[0];
        int maxRadix = plan[2];
        int bins = n / 2 + 1;
        int permutation = FftPlan.RADIX + 2 * plan[1];
        for (@Parallel int f = 0; f < frames; f++) {
            int base = f * n;
            int start = f * hop - n / 2;
            for (int i = 0; i < n; i++) {
                int s = start + i;
                if (s < 0) {
                    s = -s;
                }
                if (s >= samples) {
                    s = 2 * (samples - 1) - s;
                }
                int p = base + plan[permutation + i];
                re[p] = signal[s] * window[i];
                im[p] = 0f;
            }
            fftInPlace(re, im, base, plan, twiddles, tmp, f * 2 * maxRadix);
            for (int b = 0; b < bins; b++) {
                float a = re[base + b];
                float c = im[base + b];
                power[f * bins + b] = a * a + c * c;
            }
        }
    }

    /**
     * The FFT of {@code re/im[base .. base+n)}, whose input is already in the plan's permuted
     * order; output in natural order. {@code tmp[tmpBase ..]} holds one butterfly's inputs.
     */
    public static void fftInPlace(float[] re, float[] im, int base, int[] plan, float[] twiddles,
                                  float[] tmp, int tmpBase) {
        int n = plan[0];
        int stages = plan[1];
        for (int s = 0; s < stages; s++) {
            int r = plan[FftPlan.RADIX + s];
            int l = plan[FftPlan.RADIX + stages + s];
            int block = l * r;
            int twiddleStep = n / block;
            for (int b = 0; b < n; b += block) {
                for (int j = 0; j < l; j++) {
                    // The r inputs of this butterfly, each times its twiddle exp(-2 pi i j q / block).
                    for (int q = 0; q < r; q++) {
                        int idx = base + b + j + q * l;
                        int t = (j * q * twiddleStep) % n;
                        float xr = re[idx];
                        float xi = im[idx];
                        float c = twiddles[t];
                        float sn = twiddles[n + t];
                        tmp[tmpBase + 2 * q] = xr * c - xi * sn;
                        tmp[tmpBase + 2 * q + 1] = xr * sn + xi * c;
                    }
                    // An r-point DFT of them: output p gets sum over q of input q * exp(-2 pi i p q / r).
                    for (int p = 0; p < r; p++) {
                        float accR = 0f;
                        float accI = 0f;
                        for (int q = 0; q < r; q++) {
                            int t = ((p * q) % r) * (n / r);
                            float yr = tmp[tmpBase + 2 * q];
                            float yi = tmp[tmpBase + 2 * q + 1];
                            float c = twiddles[t];
                            float sn = twiddles[n + t];
                            accR += yr * c - yi * sn;
                            accI += yr * sn + yi * c;
                        }
                        int out = base + b + j + p * l;
                        re[out] = accR;
                        im[out] = accI;
                    }
                }
            }
        }
    }
}
