package io.parley.speech.whisper.decode;

/**
 * How to transcribe a recording.
 *
 * @param decoding             options of each window
 * @param wordTimestamps       time every word (an extra decoder pass per window)
 * @param conditionOnPrevious  prompt each window with the text of the ones before
 * @param encoderBlockFrames   0: every window is the full 30 s (3000 frames), as Whisper was
 *                             trained; otherwise the encoder runs on the audio actually present,
 *                             rounded up to a multiple of this many frames (10 ms each)
 */
public record TranscribeOptions(DecodingOptions decoding, boolean wordTimestamps, boolean conditionOnPrevious,
                                int encoderBlockFrames) {

    public TranscribeOptions {
        if (encoderBlockFrames < 0 || encoderBlockFrames > 3000 || encoderBlockFrames % 2 != 0) {
            throw new IllegalArgumentException("encoderBlockFrames must be 0 or an even number up to 3000, not "
                    + encoderBlockFrames);
        }
    }

    public static TranscribeOptions defaults() {
        return new TranscribeOptions(DecodingOptions.defaults(), false, true, 0);
    }

    public TranscribeOptions withDecoding(DecodingOptions d) {
        return new TranscribeOptions(d, wordTimestamps, conditionOnPrevious, encoderBlockFrames);
    }

    public TranscribeOptions withWordTimestamps(boolean on) {
        return new TranscribeOptions(decoding, on, conditionOnPrevious, encoderBlockFrames);
    }

    public TranscribeOptions withEncoderBlockFrames(int frames) {
        return new TranscribeOptions(decoding, wordTimestamps, conditionOnPrevious, frames);
    }
}
