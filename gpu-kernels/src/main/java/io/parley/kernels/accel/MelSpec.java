package io.parley.kernels.accel;

import io.parley.kernels.signal.FftPlan;
import io.parley.kernels.signal.MelFilterbank;

/**
 * What a log-mel front end computes: Whisper's is 16 kHz, an FFT of 400 samples every 160
 * (25 ms windows, 10 ms apart), and 80 or 128 mel bins.
 */
public record MelSpec(int sampleRate, int nFft, int hop, int nMels) {

    public MelSpec {
        if (sampleRate <= 0 || nFft < 2 || hop <= 0 || nMels <= 0) {
            throw new IllegalArgumentException("invalid mel front end: " + this);
        }
    }

    public static MelSpec whisper(int nMels) {
        return new MelSpec(16000, 400, 160, nMels);
    }

    public int bins() {
        return nFft / 2 + 1;
    }

    public FftPlan plan() {
        return FftPlan.of(nFft);
    }

    public float[] filters() {
        return MelFilterbank.filters(sampleRate, nFft, nMels);
    }
}
