package io.parley.speech.whisper.decode;

import io.parley.speech.whisper.model.WhisperModel;

import java.util.List;

/**
 * How a {@link WindowDecoder} runs the model's decoder: straight on the model when one caller
 * has it to itself, or through a scheduler that batches the steps of many live streams into
 * one pass ({@code stream.ModelRunner}).
 */
@FunctionalInterface
public interface DecoderSteps {

    /**
     * Feeds each sequence its tokens and returns, per sequence, the logits after its last one; with
     * {@code everyPosition}, after every one of its tokens, one row of the vocabulary after another
     * (a draft checked in one pass).
     */
    float[][] decode(List<WhisperModel.DecoderState> states, List<int[]> tokens, boolean everyPosition);

    /** The model itself, one call at a time. */
    static DecoderSteps direct(WhisperModel model) {
        return (states, tokens, everyPosition) -> model.decode(states, tokens, null, everyPosition(states.size(), everyPosition));
    }

    /** The model's per-sequence flags for a call where all sequences are alike. */
    static boolean[] everyPosition(int sequences, boolean every) {
        if (!every) {
            return null;
        }
        boolean[] all = new boolean[sequences];
        java.util.Arrays.fill(all, true);
        return all;
    }
}
