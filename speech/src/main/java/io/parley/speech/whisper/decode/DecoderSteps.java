package io.parley.speech.whisper.decode;

import io.parley.speech.whisper.model.LogitRows;
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
     * Feeds each sequence its tokens and returns, per sequence, the logits after those of its
     * tokens that {@code wanted} names (the same for every sequence), one row of the vocabulary
     * after another: its last one for a step, every one for a draft checked in one pass.
     */
    float[][] decode(List<WhisperModel.DecoderState> states, List<int[]> tokens, LogitRows wanted);

    /** The model itself, one call at a time. */
    static DecoderSteps direct(WhisperModel model) {
        return (states, tokens, wanted) -> model.decode(states, tokens, alike(states.size(), wanted));
    }

    /** The model's per-sequence choice for a call where all sequences are alike. */
    static LogitRows[] alike(int sequences, LogitRows wanted) {
        LogitRows[] all = new LogitRows[sequences];
        java.util.Arrays.fill(all, wanted);
        return all;
    }
}
