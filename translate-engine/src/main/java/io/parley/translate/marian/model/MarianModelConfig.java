package io.parley.translate.marian.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The architecture a Marian model declares in its embedded {@code special:model.yml}, checked
 * against what Parley runs: a Transformer encoder with post-norm residual blocks
 * ({@code transformer-postprocess: dan}), a decoder whose self-attention is replaced by an SSRU
 * ({@code transformer-decoder-autoreg: rnn}, {@code dec-cell: ssru}) followed by cross-attention
 * and a feed-forward block, sinusoidal positions, and one embedding matrix shared by source,
 * target and output ({@code tied-embeddings-all}) — the Bergamot "tiny" family that Firefox
 * Translations ships for every language.
 *
 * @param encoderLayers Transformer layers of the encoder
 * @param decoderLayers SSRU + cross-attention + FFN layers of the decoder
 * @param dim           model (embedding) width
 * @param heads         attention heads
 * @param ffnDim        inner width of the feed-forward blocks
 * @param ffnRelu       ReLU (true) or Swish in the feed-forward blocks
 * @param vocabSize     shared vocabulary size
 */
public record MarianModelConfig(int encoderLayers, int decoderLayers, int dim, int heads, int ffnDim,
                                boolean ffnRelu, int vocabSize) {

    public MarianModelConfig {
        if (encoderLayers < 1 || decoderLayers < 1 || dim < 1 || heads < 1 || ffnDim < 1 || vocabSize < 1) {
            throw new MarianModelException("the model declares an empty dimension: enc-depth " + encoderLayers
                    + ", dec-depth " + decoderLayers + ", dim-emb " + dim + ", heads " + heads + ", ffn " + ffnDim
                    + ", vocab " + vocabSize);
        }
        if (dim % heads != 0) {
            throw new MarianModelException("dim-emb " + dim + " is not a multiple of " + heads + " heads");
        }
    }

    public int headDim() {
        return dim / heads;
    }

    /** Reads and checks the YAML a Marian model embeds. */
    public static MarianModelConfig parse(String yaml) {
        Map<String, String> v = flatten(yaml);
        require(v, "type", "transformer");
        require(v, "transformer-decoder-autoreg", "rnn");
        require(v, "dec-cell", "ssru");
        require(v, "transformer-postprocess", "dan");
        require(v, "tied-embeddings-all", "true");
        String pre = v.getOrDefault("transformer-preprocess", "");
        if (!pre.isEmpty() && !pre.equals("\"\"")) {
            throw new MarianModelException("transformer-preprocess '" + pre + "' (pre-norm) is not supported; Parley runs"
                    + " post-norm (dan) models");
        }
        String act = v.getOrDefault("transformer-ffn-activation", "relu");
        if (!act.equals("relu") && !act.equals("swish")) {
            throw new MarianModelException("feed-forward activation '" + act + "' is not supported (relu, swish)");
        }
        if (!v.getOrDefault("transformer-ffn-depth", "2").equals("2")) {
            throw new MarianModelException("transformer-ffn-depth must be 2");
        }
        int vocab = Integer.parseInt(v.getOrDefault("dim-vocabs.0", "0"));
        return new MarianModelConfig(integer(v, "enc-depth"), integer(v, "dec-depth"), integer(v, "dim-emb"),
                integer(v, "transformer-heads"), integer(v, "transformer-dim-ffn"), act.equals("relu"), vocab);
    }

    private static void require(Map<String, String> v, String key, String expected) {
        String actual = v.get(key);
        if (!expected.equals(actual)) {
            throw new MarianModelException("this model has " + key + ": " + actual + "; Parley's Marian engine runs "
                    + key + ": " + expected + " (Bergamot transformer with an SSRU decoder)");
        }
    }

    private static int integer(Map<String, String> v, String key) {
        String s = v.get(key);
        if (s == null) {
            throw new MarianModelException("the model's YAML has no " + key);
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new MarianModelException("the model's " + key + " is not a number: " + s);
        }
    }

    /** The flat YAML Marian writes: {@code key: value} lines, and lists as {@code - item} lines. */
    static Map<String, String> flatten(String yaml) {
        Map<String, String> out = new HashMap<>();
        String listKey = null;
        int listIndex = 0;
        for (String raw : yaml.split("\n")) {
            String line = raw.stripTrailing();
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            String t = line.strip();
            if (t.startsWith("- ") && listKey != null) {
                out.put(listKey + "." + listIndex++, t.substring(2).strip());
                continue;
            }
            int colon = t.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = t.substring(0, colon).strip();
            String value = t.substring(colon + 1).strip();
            out.put(key, value);
            listKey = value.isEmpty() ? key : null;
            listIndex = 0;
        }
        return out;
    }
}
