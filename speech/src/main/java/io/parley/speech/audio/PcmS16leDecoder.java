package io.parley.speech.audio;

/** Signed 16-bit little-endian PCM at any supported rate, mixed to mono and resampled to 16 kHz. */
final class PcmS16leDecoder implements AudioDecoder {

    private final AudioStreamFormat format;
    private final StreamingResampler resampler;
    private long inputFrames;

    PcmS16leDecoder(AudioStreamFormat format) {
        this.format = format;
        this.resampler = format.sampleRate() == AudioStreamFormat.RECOGNIZER_RATE
                ? null
                : new StreamingResampler(format.sampleRate(), AudioStreamFormat.RECOGNIZER_RATE);
    }

    @Override
    public float[] decode(byte[] frame) {
        int frameBytes = format.pcmFrameBytes();
        if (frame.length % frameBytes != 0) {
            throw new AudioFormatException("bad_audio_frame",
                    "a pcm_s16le frame must hold whole samples of " + format.channels() + " channel(s) ("
                            + frameBytes + " bytes each); got " + frame.length + " bytes");
        }
        int count = frame.length / frameBytes;
        float[] mono = new float[count];
        int channels = format.channels();
        for (int i = 0, b = 0; i < count; i++) {
            float sum = 0f;
            for (int c = 0; c < channels; c++, b += 2) {
                sum += (short) ((frame[b] & 0xff) | (frame[b + 1] << 8)) / 32768f;
            }
            mono[i] = sum / channels;
        }
        inputFrames += count;
        return Samples.clamp(resampler == null ? mono : resampler.process(mono, 0, count));
    }

    @Override
    public double inputSeconds() {
        return inputFrames / (double) format.sampleRate();
    }
}
