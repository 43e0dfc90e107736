package io.parley.speech.audio;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * One Opus packet per frame, decoded in Java by Concentus at 48 kHz and brought to 16 kHz by
 * Parley's own anti-aliasing resampler.
 *
 * <p>Opus could in principle decode straight to 16 kHz, but Concentus 1.0.2 returns silence at
 * any decoder rate other than 48 kHz (checked by {@code AudioDecoderTest}), so the packet is
 * decoded at the codec's native rate instead, whatever rate the encoder announced.
 */
final class OpusPacketDecoder implements AudioDecoder {

    private static final int DECODE_RATE = 48000;
    /** The longest packet Opus allows: 120 ms. */
    private static final int MAX_PACKET_SAMPLES = DECODE_RATE * 120 / 1000;

    private final OpusDecoder decoder;
    private final int channels;
    private final short[] pcm;
    private final StreamingResampler resampler = new StreamingResampler(DECODE_RATE, AudioStreamFormat.RECOGNIZER_RATE);
    private long decodedSamples;

    OpusPacketDecoder(AudioStreamFormat format) {
        this.channels = format.channels();
        try {
            this.decoder = new OpusDecoder(DECODE_RATE, channels);
        } catch (OpusException e) {
            throw new AudioFormatException("unknown_format", "cannot create an Opus decoder: " + e.getMessage(), e);
        }
        this.pcm = new short[MAX_PACKET_SAMPLES * channels];
    }

    @Override
    public float[] decode(byte[] frame) {
        if (frame.length == 0) {
            throw new AudioFormatException("bad_audio_frame", "an empty frame is not an Opus packet");
        }
        int samples;
        try {
            samples = decoder.decode(frame, 0, frame.length, pcm, 0, MAX_PACKET_SAMPLES, false);
        } catch (OpusException | RuntimeException | AssertionError e) {
            // Concentus reports some corrupt packets with runtime exceptions, and with its own
            // consistency asserts where assertions are on; either way the packet is refused and
            // the decoder state is reset for the next one.
            decoder.resetState();
            throw new AudioFormatException("bad_audio_frame", "not a valid Opus packet: " + e.getMessage(), e);
        }
        float[] mono = new float[samples];
        for (int i = 0; i < samples; i++) {
            float sum = 0f;
            for (int c = 0; c < channels; c++) {
                sum += pcm[i * channels + c] / 32768f;
            }
            mono[i] = sum / channels;
        }
        decodedSamples += samples;
        return Samples.clamp(resampler.process(mono, 0, samples));
    }

    @Override
    public double inputSeconds() {
        return decodedSamples / (double) DECODE_RATE;
    }
}
