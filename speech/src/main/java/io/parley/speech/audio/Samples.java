package io.parley.speech.audio;

/** What every decoder promises of its output. */
final class Samples {

    private Samples() {
    }

    /**
     * Keeps samples in [-1, 1]. A full-scale input can overshoot a little through the resampler's
     * filter (its ripple) or a codec's reconstruction; the recognizers' front ends assume the
     * range, so the overshoot is clipped here, where it is made, in place.
     */
    static float[] clamp(float[] samples) {
        for (int i = 0; i < samples.length; i++) {
            float s = samples[i];
            if (s > 1f) {
                samples[i] = 1f;
            } else if (s < -1f) {
                samples[i] = -1f;
            } else if (s != s) {
                samples[i] = 0f; // NaN: never from real audio
            }
        }
        return samples;
    }
}
