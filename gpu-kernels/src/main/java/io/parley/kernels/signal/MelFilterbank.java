package io.parley.kernels.signal;

/**
 * Triangular mel filters exactly as librosa's {@code filters.mel(sr, n_fft, n_mels)} defines
 * them with its defaults (Slaney's mel scale, {@code htk=False}, Slaney area normalisation,
 * {@code fmin=0}, {@code fmax=sr/2}), which is how Whisper's {@code mel_filters.npz} was made.
 * Computed in double precision and stored as float, as librosa does.
 */
public final class MelFilterbank {

    private static final double F_SP = 200.0 / 3;          // Hz per mel below 1 kHz
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    private MelFilterbank() {
    }

    /** {@code nMels x (nFft/2 + 1)} weights, row-major. */
    public static float[] filters(int sampleRate, int nFft, int nMels) {
        int bins = nFft / 2 + 1;
        double[] fftFreqs = new double[bins];
        for (int b = 0; b < bins; b++) {
            fftFreqs[b] = b * (sampleRate / 2.0) / (bins - 1);
        }
        double minMel = hzToMel(0);
        double maxMel = hzToMel(sampleRate / 2.0);
        double[] melF = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) {
            melF[i] = melToHz(minMel + (maxMel - minMel) * i / (nMels + 1));
        }
        float[] weights = new float[nMels * bins];
        for (int m = 0; m < nMels; m++) {
            double lowerWidth = melF[m + 1] - melF[m];
            double upperWidth = melF[m + 2] - melF[m + 1];
            double norm = 2.0 / (melF[m + 2] - melF[m]);
            for (int b = 0; b < bins; b++) {
                double lower = (fftFreqs[b] - melF[m]) / lowerWidth;
                double upper = (melF[m + 2] - fftFreqs[b]) / upperWidth;
                weights[m * bins + b] = (float) (Math.max(0, Math.min(lower, upper)) * norm);
            }
        }
        return weights;
    }

    static double hzToMel(double hz) {
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
    }

    static double melToHz(double mel) {
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
