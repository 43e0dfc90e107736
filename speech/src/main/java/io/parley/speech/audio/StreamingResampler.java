package io.parley.speech.audio;

import io.parley.kernels.signal.ResampleKernels;

import java.util.Arrays;

/**
 * Resamples a stream that arrives in chunks of any size. The output does not depend on how
 * the input was chunked: the filter's history is carried from one chunk to the next, and an
 * output is only produced once every input sample it depends on has arrived.
 */
public final class StreamingResampler {

    private final PolyphaseFilterBank bank;
    /** Unconsumed input, starting with the history the next output still needs. */
    private float[] buffer;
    private int buffered;
    /** Position of the next output on the upsampled grid, relative to {@code buffer[0]}. */
    private long position;

    public StreamingResampler(int inputRate, int outputRate) {
        this.bank = PolyphaseFilterBank.design(inputRate, outputRate);
        // Start with a window of silence so that the first output is aligned with the first input.
        this.buffered = bank.taps() - 1;
        this.buffer = new float[Math.max(1024, 2 * bank.taps())];
    }

    /** Adds input samples and returns the output samples they complete. */
    public float[] process(float[] input, int offset, int length) {
        ensureCapacity(buffered + length);
        System.arraycopy(input, offset, buffer, buffered, length);
        buffered += length;

        int up = bank.up();
        int down = bank.down();
        long lastStart = buffered - bank.taps(); // the last window start that fits in the buffer
        if (lastStart < 0 || position / up > lastStart) {
            return new float[0];
        }
        int count = (int) ((lastStart * up + up - 1 - position) / down + 1);
        float[] out = new float[count];
        ResampleKernels.polyphaseResample(buffer, bank.phaseTaps(), bank.taps(), up, down,
                (int) position, out, count);

        long next = position + (long) count * down;
        int consumed = (int) (next / up);
        System.arraycopy(buffer, consumed, buffer, 0, buffered - consumed);
        buffered -= consumed;
        position = next - (long) consumed * up;
        return out;
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
    }
}
