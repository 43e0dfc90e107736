package io.parley.speech.audio;

import java.util.Set;

/**
 * The audio a speaker announced in its start message, validated.
 *
 * @param encoding   how frames are encoded
 * @param sampleRate samples per second per channel
 * @param channels   1 (mono) or 2 (stereo, interleaved; mixed down to mono)
 */
public record AudioStreamFormat(AudioEncoding encoding, int sampleRate, int channels) {

    /** Rates a PCM stream may use; anything but 16 kHz is resampled. */
    public static final Set<Integer> PCM_RATES = Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000);
    /** Rates an Opus decoder can produce (RFC 6716); the stream is decoded at 16 kHz whatever was announced. */
    public static final Set<Integer> OPUS_RATES = Set.of(8000, 12000, 16000, 24000, 48000);
    /** The rate every recognizer consumes. */
    public static final int RECOGNIZER_RATE = 16000;

    public AudioStreamFormat {
        if (encoding == null) {
            throw new AudioFormatException("unknown_format", "format is required: pcm_s16le or opus");
        }
        Set<Integer> rates = encoding == AudioEncoding.OPUS ? OPUS_RATES : PCM_RATES;
        if (!rates.contains(sampleRate)) {
            throw new AudioFormatException("unsupported_sample_rate",
                    "sampleRate " + sampleRate + " is not supported for " + encoding.wireName()
                            + "; use one of " + rates.stream().sorted().toList());
        }
        if (channels != 1 && channels != 2) {
            throw new AudioFormatException("unsupported_channels",
                    "channels must be 1 or 2, not " + channels);
        }
    }

    /** Bytes of one sample frame (all channels) for PCM; 0 for packetised formats. */
    public int pcmFrameBytes() {
        return encoding == AudioEncoding.PCM_S16LE ? 2 * channels : 0;
    }
}
