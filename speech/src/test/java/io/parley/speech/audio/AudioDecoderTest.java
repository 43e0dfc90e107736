package io.parley.speech.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioDecoderTest {

    private static byte[] s16le(short... samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            b[2 * i] = (byte) samples[i];
            b[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return b;
    }

    @Test
    void pcmAt16kPassesThroughScaledToUnitRange() {
        AudioDecoder d = AudioDecoder.create(new AudioStreamFormat(AudioEncoding.PCM_S16LE, 16000, 1));
        float[] out = d.decode(s16le((short) 16384, (short) -32768, (short) 0));
        assertEquals(3, out.length);
        assertEquals(0.5f, out[0], 1e-6);
        assertEquals(-1f, out[1], 1e-6);
        assertEquals(3 / 16000.0, d.inputSeconds(), 1e-12);
    }

    @Test
    void stereoIsMixedToMono() {
        AudioDecoder d = AudioDecoder.create(new AudioStreamFormat(AudioEncoding.PCM_S16LE, 16000, 2));
        float[] out = d.decode(s16le((short) 16384, (short) 0, (short) -16384, (short) -16384));
        assertEquals(2, out.length);
        assertEquals(0.25f, out[0], 1e-6);
        assertEquals(-0.5f, out[1], 1e-6);
    }

    @Test
    void aFrameCuttingASampleInHalfIsRefusedWithAStableCode() {
        AudioDecoder d = AudioDecoder.create(new AudioStreamFormat(AudioEncoding.PCM_S16LE, 16000, 1));
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> d.decode(new byte[3]));
        assertEquals("bad_audio_frame", e.code());
        assertEquals(1, d.decode(new byte[2]).length, "the decoder stays usable");
    }

    @Test
    void unsupportedRatesAndChannelsAreRefused() {
        assertEquals("unsupported_sample_rate", assertThrows(AudioFormatException.class,
                () -> new AudioStreamFormat(AudioEncoding.PCM_S16LE, 12345, 1)).code());
        assertEquals("unsupported_sample_rate", assertThrows(AudioFormatException.class,
                () -> new AudioStreamFormat(AudioEncoding.OPUS, 44100, 1)).code());
        assertEquals("unsupported_channels", assertThrows(AudioFormatException.class,
                () -> new AudioStreamFormat(AudioEncoding.PCM_S16LE, 16000, 6)).code());
    }

    @Test
    void opusPacketsFromARealEncoderDecodeTo16kAndKeepTheTone() throws Exception {
        OpusEncoder encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setBitrate(32000);
        AudioDecoder d = AudioDecoder.create(new AudioStreamFormat(AudioEncoding.OPUS, 48000, 1));
        int frame = 960; // 20 ms at 48 kHz
        short[] pcm = new short[frame];
        byte[] packet = new byte[4000];
        float[] decoded = new float[16000];
        int total = 0;
        for (int f = 0; f < 50; f++) { // one second
            for (int i = 0; i < frame; i++) {
                pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * (f * frame + i) / 48000.0));
            }
            int len = encoder.encode(pcm, 0, frame, packet, 0, packet.length);
            byte[] one = java.util.Arrays.copyOf(packet, len);
            float[] out = d.decode(one);
            assertTrue(out.length <= 320 + 1, "about 20 ms at 16 kHz");
            System.arraycopy(out, 0, decoded, total, out.length);
            total += out.length;
        }
        assertEquals(16000, total, 2, "one second at 16 kHz, less the resampler's look-ahead");
        // Correlate the second half with 440 Hz: the codec keeps the tone at its level (8000/32768).
        double re = 0, im = 0;
        for (int i = 8000; i < 16000; i++) {
            re += decoded[i] * Math.cos(2 * Math.PI * 440 * i / 16000.0);
            im += decoded[i] * Math.sin(2 * Math.PI * 440 * i / 16000.0);
        }
        double amplitude = 2 * Math.hypot(re, im) / 8000;
        assertEquals(8000 / 32768.0, amplitude, 0.03);
        assertEquals(1.0, d.inputSeconds(), 1e-9);
    }

    @Test
    void garbageIsNotAnOpusPacket() {
        AudioDecoder d = AudioDecoder.create(new AudioStreamFormat(AudioEncoding.OPUS, 48000, 1));
        AudioFormatException e = assertThrows(AudioFormatException.class,
                () -> d.decode(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertEquals("bad_audio_frame", e.code());
        assertTrue(e.getMessage().contains("Opus"));
    }
}
