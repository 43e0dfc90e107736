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

    /** Feeds each sequence its tokens and returns, per sequence, the logits after its last one. */
    float[][] decode(List<WhisperModel.DecoderState> states, List<int[]> tokens);

    /** The model itself, one call at a time. */
    static DecoderSteps direct(WhisperModel model) {
        return (states, tokens) -> model.decode(states, tokens, null);
    }
}
