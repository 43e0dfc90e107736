package io.parley.speech.whisper.stream;

import java.util.Arrays;

/**
 * The audio of a stream that a pass may still need: samples {@code [start, start + length)} of
 * the stream, which has delivered {@code position} samples so far. The session trims it as
 * utterances close, so it holds one utterance (and a short pre-roll) at a time.
 */
final class UtteranceWindow {

    private float[] samples;
    private int length;
    private long start;
    private long position;

    UtteranceWindow(int initialCapacity) {
        this.samples = new float[Math.max(1, initialCapacity)];
    }

    /** Adds {@code n} samples of {@code audio} from {@code offset}: the stream moves on by as much. */
    void append(float[] audio, int offset, int n) {
        if (length + n > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(samples.length * 3 / 2, length + n));
        }
        System.arraycopy(audio, offset, samples, length, n);
        length += n;
        position += n;
    }

    /** Forgets the audio before stream sample {@code sample} (nothing if it is already gone). */
    void trimTo(long sample) {
        if (sample <= start) {
            return;
        }
        int drop = (int) Math.min(length, sample - start);
        System.arraycopy(samples, drop, samples, 0, length - drop);
        length -= drop;
        start += drop;
    }

    /** A copy of the window's first {@code n} samples. */
    float[] head(int n) {
        if (n < 0 || n > length) {
            throw new IllegalArgumentException("the window holds " + length + " samples, not " + n);
        }
        return Arrays.copyOf(samples, n);
    }

    /** The stream sample the window starts at. */
    long start() {
        return start;
    }

    /** Samples held. */
    int length() {
        return length;
    }

    /** Samples the stream has delivered in all. */
    long position() {
        return position;
    }

    /** Samples held from the window's start up to stream sample {@code sample}, within what is held. */
    int lengthUpTo(long sample) {
        return (int) Math.clamp(sample - start, 0, length);
    }
}
