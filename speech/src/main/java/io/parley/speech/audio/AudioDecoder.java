package io.parley.speech.audio;

/**
 * Turns a speaker's binary frames into 16 kHz mono float samples in [-1, 1], the input every
 * recognizer takes. A decoder keeps the state a stream needs across frames (codec state,
 * resampler history) and is used by one stream at a time.
 */
public interface AudioDecoder {

    /**
     * Decodes one binary frame.
     *
     * @return the 16 kHz mono samples the frame completes; may be empty while a resampler fills
     * @throws AudioFormatException if the frame is malformed; the decoder stays usable
     */
    float[] decode(byte[] frame);

    /** Seconds of input audio decoded so far, at the stream's own rate. */
    double inputSeconds();

    static AudioDecoder create(AudioStreamFormat format) {
        return switch (format.encoding()) {
            case PCM_S16LE -> new PcmS16leDecoder(format);
            case OPUS -> new OpusPacketDecoder(format);
        };
    }
}
