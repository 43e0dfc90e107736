package io.parley.speech.whisper.model;

/**
 * The sizes of a Whisper model, read from its tensors rather than assumed.
 *
 * @param nMels          mel bins of the input (80, or 128 for large-v3)
 * @param audioCtx       encoder positions: 1500 for 30 s of audio
 * @param width          model width (d_model)
 * @param heads          attention heads
 * @param encoderLayers  encoder blocks
 * @param textCtx        decoder positions: 448 tokens
 * @param decoderLayers  decoder blocks
 * @param vocab          vocabulary size (51865 multilingual, 51864 English-only)
 */
public record WhisperDims(int nMels, int audioCtx, int width, int heads, int encoderLayers,
                          int textCtx, int decoderLayers, int vocab) {

    public int headDim() {
        return width / heads;
    }

    /** Whisper's multilingual models have one more token than the English-only ones. */
    public boolean multilingual() {
        return vocab >= 51865;
    }

    static WhisperDims of(CTranslate2ModelFile file) {
        if (!file.spec().equals("WhisperSpec")) {
            throw new ModelFormatException("the model is a " + file.spec() + ", not a Whisper model (WhisperSpec)");
        }
        Tensor conv1 = file.get("encoder/conv1/weight");
        int encoderLayers = 0;
        while (file.has("encoder/layer_" + encoderLayers + "/self_attention/linear_0/weight")) {
            encoderLayers++;
        }
        int decoderLayers = 0;
        while (file.has("decoder/layer_" + decoderLayers + "/self_attention/linear_0/weight")) {
            decoderLayers++;
        }
        if (encoderLayers == 0 || decoderLayers == 0) {
            throw new ModelFormatException("the model has no encoder or no decoder layers");
        }
        WhisperDims d = new WhisperDims(conv1.dim(1), file.get("encoder/position_encodings/encodings").dim(0),
                conv1.dim(0), file.get("encoder/num_heads").scalarInt(), encoderLayers,
                file.get("decoder/position_encodings/encodings").dim(0), decoderLayers,
                file.get("decoder/embeddings/weight").dim(0));
        if (d.width % d.heads != 0) {
            throw new ModelFormatException("model width " + d.width + " does not divide into " + d.heads + " heads");
        }
        return d;
    }
}
