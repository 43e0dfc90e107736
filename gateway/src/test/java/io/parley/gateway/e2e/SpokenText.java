package io.parley.gateway.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Speech in languages the test set has no recordings of, made by espeak-ng (Debian
 * {@code espeak-ng}, installed by {@code ./parley test}): synthetic, but real audio that the
 * recognizer has never seen. Returned as s16le PCM at 48 kHz, one of the speaker socket's
 * rates, so that the gateway's own resampler is on the path.
 */
public final class SpokenText {

    public static final int RATE = 48_000;

    private SpokenText() {
    }

    public static byte[] pcm48k(String voice, String text) throws IOException, InterruptedException {
        Path wav = Files.createTempFile("parley-espeak-", ".wav");
        try {
            Process p = new ProcessBuilder("espeak-ng", "-v", voice, "-w", wav.toString(), text)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("espeak-ng failed: " + out);
            }
            var parsed = io.parley.speech.audio.WavFile.read(wav);
            return upsample(parsed.monoSamples(), parsed.sampleRate());
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /**
     * espeak-ng speaks at 22,050 Hz; linear interpolation up to 48 kHz leaves images only above
     * 11 kHz, which the gateway's anti-aliasing filter removes on its way down to 16 kHz.
     */
    private static byte[] upsample(float[] x, int rate) {
        int n = (int) ((long) x.length * RATE / rate);
        ByteBuffer out = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            double pos = i * (double) rate / RATE;
            int k = (int) pos;
            double f = pos - k;
            double v = x[Math.min(k, x.length - 1)] * (1 - f) + x[Math.min(k + 1, x.length - 1)] * f;
            out.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        }
        return out.array();
    }
}
