package io.parley.speech.audio;

/**
 * The anti-aliasing low-pass filter of a rational resampler, split into its polyphase
 * components.
 *
 * <p>Design: a Kaiser-windowed sinc at the upsampled rate. The stopband starts at the
 * Nyquist frequency of the lower of the two rates, so everything that would fold back into
 * the output band is attenuated by at least {@link #STOPBAND_DB}; the passband keeps
 * {@link #PASSBAND_FRACTION} of that band, which for 16 kHz output is 0-7.2 kHz, all of
 * speech that matters to a recognizer.
 */
public final class PolyphaseFilterBank {

    /** Attenuation of anything that would alias, in dB. */
    public static final double STOPBAND_DB = 80.0;
    /** Fraction of the lower Nyquist band kept flat. */
    public static final double PASSBAND_FRACTION = 0.9;

    private final int up;
    private final int down;
    private final int taps;
    private final float[] phaseTaps;

    private PolyphaseFilterBank(int up, int down, int taps, float[] phaseTaps) {
        this.up = up;
        this.down = down;
        this.taps = taps;
        this.phaseTaps = phaseTaps;
    }

    /** Designs the filter bank that converts {@code inputRate} to {@code outputRate}. */
    public static PolyphaseFilterBank design(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inputRate + " -> " + outputRate);
        }
        int g = gcd(inputRate, outputRate);
        int up = outputRate / g;
        int down = inputRate / g;

        double upsampledRate = (double) inputRate * up;
        double stopEdge = 0.5 * Math.min(inputRate, outputRate);
        double passEdge = PASSBAND_FRACTION * stopEdge;
        double cutoff = 0.5 * (passEdge + stopEdge) / upsampledRate;           // cycles per upsampled sample
        double transition = 2 * Math.PI * (stopEdge - passEdge) / upsampledRate; // radians per upsampled sample

        // Kaiser's formulas for the window's shape and the filter's length.
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        int length = (int) Math.ceil((STOPBAND_DB - 8.0) / (2.285 * transition)) + 1;
        int taps = Math.max(1, (length + up - 1) / up);
        int total = taps * up;

        double[] h = new double[total];
        double centre = (total - 1) / 2.0;
        double i0Beta = besselI0(beta);
        for (int j = 0; j < total; j++) {
            double x = j - centre;
            double sinc = x == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double r = x / (total / 2.0);
            double window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            h[j] = sinc * window * up; // gain `up` restores the level lost to the inserted zeros
        }

        // Phase p, coefficient i multiplies the i-th sample of a window whose newest sample is
        // last, so the filter is stored reversed within each phase.
        float[] phaseTaps = new float[total];
        for (int p = 0; p < up; p++) {
            for (int i = 0; i < taps; i++) {
                phaseTaps[p * taps + i] = (float) h[p + (taps - 1 - i) * up];
            }
        }
        return new PolyphaseFilterBank(up, down, taps, phaseTaps);
    }

    public int up() {
        return up;
    }

    public int down() {
        return down;
    }

    /** Coefficients per phase: the number of input samples each output looks at. */
    public int taps() {
        return taps;
    }

    /** Phase-major, reversed coefficients; see {@link io.parley.kernels.signal.ResampleKernels}. */
    public float[] phaseTaps() {
        return phaseTaps;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    private static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
