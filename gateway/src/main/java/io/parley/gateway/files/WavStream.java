package io.parley.gateway.files;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.audio.StreamingResampler;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * A 16-bit PCM WAV file read as it streams, in Java: the common case needs no external decoder,
 * and a long file never sits in memory whole. Other WAV encodings (float, 24-bit, µ-law, ADPCM)
 * are left to ffmpeg.
 */
final class WavStream {

    private static final int RATE = 16_000;
    /** RIFF writers that stream leave the sizes at 0 or all ones: read to the end of the file then. */
    private static final long UNKNOWN = 0xFFFFFFFFL;

    /** The format a header declares. */
    record Header(int channels, int sampleRate, long dataBytes) {
        double seconds() {
            return dataBytes == UNKNOWN || dataBytes == 0 ? -1 : dataBytes / 2.0 / channels / sampleRate;
        }
    }

    private WavStream() {
    }

    /**
     * Reads the header up to the data chunk; empty when the file is a WAV that is not 16-bit PCM
     * (for ffmpeg).
     */
    static Optional<Header> header(DataInputStream in) throws IOException, MediaRefused {
        try {
            byte[] riff = new byte[12];
            in.readFully(riff);
            int channels = 0;
            int rate = 0;
            boolean pcm16 = false;
            while (true) {
                byte[] id = new byte[4];
                in.readFully(id);
                long size = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                String chunk = new String(id, java.nio.charset.StandardCharsets.US_ASCII);
                if (chunk.equals("fmt ")) {
                    if (size < 16 || size > 1024) {
                        throw corrupt("its fmt chunk is " + size + " bytes long");
                    }
                    byte[] fmt = new byte[(int) size + (int) (size & 1)];
                    in.readFully(fmt);
                    ByteBuffer b = ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN);
                    int format = b.getShort(0) & 0xFFFF;
                    channels = b.getShort(2) & 0xFFFF;
                    rate = b.getInt(4);
                    int bits = b.getShort(14) & 0xFFFF;
                    boolean extensiblePcm = format == 0xFFFE && size >= 26 && (b.getShort(24) & 0xFFFF) == 1;
                    pcm16 = (format == 1 || extensiblePcm) && bits == 16;
                    if (channels < 1 || channels > 32 || rate < 1000 || rate > 384_000) {
                        throw corrupt("its header declares " + channels + " channels at " + rate + " Hz");
                    }
                } else if (chunk.equals("data")) {
                    if (channels == 0) {
                        throw corrupt("its data comes before its fmt chunk");
                    }
                    return pcm16 ? Optional.of(new Header(channels, rate, size)) : Optional.empty();
                } else {
                    in.skipNBytes(size + (size & 1));
                }
            }
        } catch (EOFException e) {
            throw corrupt("it ends inside its header");
        }
    }

    /**
     * Streams the data chunk to {@code sink} as 16 kHz mono, in blocks of about a second.
     *
     * @return seconds of audio read
     */
    static double read(DataInputStream in, Header h, double maxSeconds, AudioSink sink)
            throws IOException, MediaRefused, InterruptedException {
        StreamingResampler resampler = h.sampleRate() == RATE ? null : new StreamingResampler(h.sampleRate(), RATE);
        int frameBytes = 2 * h.channels();
        byte[] block = new byte[h.sampleRate() * frameBytes];
        long declared = h.dataBytes() == UNKNOWN || h.dataBytes() == 0 ? Long.MAX_VALUE : h.dataBytes();
        long read = 0;
        while (read < declared) {
            int want = (int) Math.min(block.length, declared - read);
            int n = in.readNBytes(block, 0, want);
            n -= n % frameBytes;
            if (n <= 0) {
                break;
            }
            read += n;
            float[] mono = downmix(block, n, h.channels());
            float[] out = resampler == null ? mono : resampler.process(mono, 0, mono.length);
            if (read / (double) frameBytes / h.sampleRate() > maxSeconds) {
                throw tooLong(maxSeconds);
            }
            if (out.length > 0) {
                sink.accept(out);
            }
        }
        if (declared != Long.MAX_VALUE && read < declared) {
            throw corrupt(String.format(java.util.Locale.ROOT, "it ends after %.1f s of the %.1f s its header declares"
                    + " (the upload was cut short?)", read / (double) frameBytes / h.sampleRate(), h.seconds()));
        }
        return read / (double) frameBytes / h.sampleRate();
    }

    private static float[] downmix(byte[] pcm, int length, int channels) {
        ByteBuffer b = ByteBuffer.wrap(pcm, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int frames = length / 2 / channels;
        float[] out = new float[frames];
        for (int f = 0; f < frames; f++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += b.getShort() / 32768f;
            }
            out[f] = sum / channels;
        }
        return out;
    }

    static MediaRefused corrupt(String why) {
        return new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, "the WAV file cannot be read: " + why);
    }

    private static MediaRefused tooLong(double maxSeconds) {
        return AudioFileDecoder.tooLong(maxSeconds);
    }
}
