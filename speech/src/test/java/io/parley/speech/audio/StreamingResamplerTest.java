package io.parley.speech.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingResamplerTest {

    private static float[] tone(double hz, int rate, double seconds, double amplitude) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /** Amplitude of the component at {@code hz}, by correlation with a sine and cosine (a one-bin DFT). */
    private static double amplitudeAt(float[] x, int from, int rate, double hz) {
        double re = 0, im = 0;
        int n = x.length - from;
        for (int i = from; i < x.length; i++) {
            double phase = 2 * Math.PI * hz * i / rate;
            re += x[i] * Math.cos(phase);
            im += x[i] * Math.sin(phase);
        }
        return 2 * Math.hypot(re, im) / n;
    }

    private static double rms(float[] x, int from) {
        double s = 0;
        for (int i = from; i < x.length; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (x.length - from));
    }

    @ParameterizedTest
    @ValueSource(ints = {48000, 44100, 22050, 8000})
    void keepsAToneInThePassbandAtItsLevelAndFrequency(int inputRate) {
        float[] in = tone(1000, inputRate, 1.0, 0.5);
        float[] out = new StreamingResampler(inputRate, 16000).process(in, 0, in.length);
        assertEquals(16000, out.length, 16000 * 0.02, "output length follows the rate ratio");
        double level = amplitudeAt(out, 800, 16000, 1000);
        assertEquals(0.5, level, 0.01, "a 1 kHz tone keeps its amplitude");
    }

    @Test
    void suppressesWhatWouldAliasWhenDownsampling48kTo16k() {
        // 12 kHz is above the 8 kHz Nyquist frequency of the output; a resampler without an
        // anti-aliasing filter would fold it down to 4 kHz at full strength.
        float[] in = tone(12000, 48000, 1.0, 0.5);
        float[] out = new StreamingResampler(48000, 16000).process(in, 0, in.length);
        double alias = amplitudeAt(out, 800, 16000, 4000);
        double db = 20 * Math.log10(rms(out, 800) / 0.354 + 1e-12);
        assertTrue(alias < 0.5e-3, "folded 4 kHz component must be below -60 dB, was " + alias);
        assertTrue(db < -60, "everything left of the 12 kHz tone is below -60 dB, was " + db + " dB");
    }

    @Test
    void naiveDecimationWouldHaveAliased() {
        // The same check against taking every third sample shows the test can fail.
        float[] in = tone(12000, 48000, 1.0, 0.5);
        float[] naive = new float[in.length / 3];
        for (int i = 0; i < naive.length; i++) {
            naive[i] = in[3 * i];
        }
        assertTrue(amplitudeAt(naive, 800, 16000, 4000) > 0.1);
    }

    @ParameterizedTest
    @ValueSource(ints = {48000, 44100})
    void outputDoesNotDependOnHowTheInputWasChunked(int inputRate) {
        Random random = new Random(7);
        float[] in = new float[inputRate / 2];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextGaussian() * 0.1f;
        }
        float[] whole = new StreamingResampler(inputRate, 16000).process(in, 0, in.length);

        StreamingResampler chunked = new StreamingResampler(inputRate, 16000);
        float[] joined = new float[whole.length + 64];
        int produced = 0;
        for (int pos = 0; pos < in.length; ) {
            int n = Math.min(in.length - pos, 1 + random.nextInt(700));
            float[] part = chunked.process(in, pos, n);
            System.arraycopy(part, 0, joined, produced, part.length);
            produced += part.length;
            pos += n;
        }
        assertEquals(whole.length, produced);
        float[] trimmed = new float[produced];
        System.arraycopy(joined, 0, trimmed, 0, produced);
        assertArrayEquals(whole, trimmed, 1e-6f);
    }
}
