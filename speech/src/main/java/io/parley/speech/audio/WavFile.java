package io.parley.speech.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A RIFF/WAVE file of signed 16-bit PCM, read whole.
 *
 * @param sampleRate samples per second per channel
 * @param channels   interleaved channels
 * @param pcm        the sample data exactly as stored: little-endian s16, interleaved
 */
public record WavFile(int sampleRate, int channels, byte[] pcm) {

    public static WavFile read(Path path) throws IOException {
        return parse(Files.readAllBytes(path), path.toString());
    }

    public static WavFile parse(byte[] bytes, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */) {
            throw new IllegalArgumentException(name + " is not a RIFF/WAVE file");
        }
        int rate = -1, channels = -1, bits = -1, format = -1;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + size > bytes.length) {
                size = bytes.length - body; // tolerate a data chunk whose size was never patched
            }
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (format != 1 || bits != 16) {
                    throw new IllegalArgumentException(name + ": only 16-bit PCM WAV is supported (format "
                            + format + ", " + bits + " bits)");
                }
                byte[] pcm = new byte[size - size % (2 * channels)];
                System.arraycopy(bytes, body, pcm, 0, pcm.length);
                return new WavFile(rate, channels, pcm);
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException(name + " has no data chunk");
    }

    public double durationSeconds() {
        return pcm.length / (2.0 * channels * sampleRate);
    }

    /** The samples of all channels mixed to mono, in [-1, 1]. */
    public float[] monoSamples() {
        int frames = pcm.length / (2 * channels);
        float[] out = new float[frames];
        for (int i = 0, p = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++, p += 2) {
                sum += (short) ((pcm[p] & 0xff) | (pcm[p + 1] << 8)) / 32768f;
            }
            out[i] = sum / channels;
        }
        return out;
    }
}
