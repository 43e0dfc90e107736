package io.parley.gateway.ingest;

import java.util.Arrays;

/**
 * The audio a stream took since its last final, on the stream's time line: what a restarted
 * recognizer must hear again so that the utterance under way is not lost. Bounded: past
 * {@code maxSeconds} the oldest samples go (an utterance that long is closed by the engine anyway).
 */
public final class AudioSinceFinal {

    private final int rate;
    private final int capacity;
    private float[] samples = new float[16000 * 4];
    private int length;
    /** Stream sample index of samples[0]. */
    private long start;

    public AudioSinceFinal(int rate, double maxSeconds) {
        this.rate = rate;
        this.capacity = (int) Math.max(rate, Math.round(maxSeconds * rate));
    }

    public void append(float[] in, int offset, int n) {
        if (n > capacity) {
            offset += n - capacity;
            start += length + (n - capacity);
            length = 0;
            n = capacity;
        } else if (length + n > capacity) {
            dropSamples(length + n - capacity);
        }
        if (length + n > samples.length) {
            samples = Arrays.copyOf(samples, Math.min(capacity, Math.max(samples.length * 2, length + n)));
        }
        System.arraycopy(in, offset, samples, length, n);
        length += n;
    }

    /** Forgets the audio before {@code seconds} of the stream (the end of a final). */
    public void dropBefore(double seconds) {
        long sample = Math.round(seconds * rate);
        if (sample > start) {
            dropSamples((int) Math.min(length, sample - start));
        }
    }

    private void dropSamples(int n) {
        System.arraycopy(samples, n, samples, 0, length - n);
        length -= n;
        start += n;
    }

    /** Where the kept audio starts, in seconds of the stream. */
    public double startSeconds() {
        return start / (double) rate;
    }

    public float[] samples() {
        return Arrays.copyOf(samples, length);
    }
}
