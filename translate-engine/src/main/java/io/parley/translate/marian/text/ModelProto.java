package io.parley.translate.marian.text;

import java.util.List;

/**
 * The parts of a SentencePiece model file ({@code sentencepiece_model.proto}'s
 * {@code ModelProto}) that encoding and decoding depend on. Fields the file leaves out hold the
 * proto's declared defaults, as the reference library sees them.
 *
 * @param pieces           the vocabulary; a piece's index is its id
 * @param trainerSpec      the settings the model was trained with that still matter at run time
 * @param normalizerSpec   how text is normalized before segmentation
 * @param denormalizerSpec how decoded text is mapped back, or null when the model has none
 */
public record ModelProto(List<Piece> pieces, TrainerSpec trainerSpec, NormalizerSpec normalizerSpec,
                         NormalizerSpec denormalizerSpec) {

    public ModelProto {
        pieces = List.copyOf(pieces);
    }

    /** One vocabulary entry: its text (with U+2581 for spaces), its log-probability and its type. */
    public record Piece(String text, float score, PieceType type) {
    }

    /** {@code TrainerSpec.ModelType}: only UNIGRAM is encoded by this package. */
    public enum ModelType {
        UNIGRAM, BPE, WORD, CHAR;

        static ModelType ofWire(int value) {
            return value >= 1 && value <= 4 ? values()[value - 1] : null;
        }
    }

    /**
     * The run-time relevant part of {@code TrainerSpec}. The ids here are what the trainer was
     * asked for; the library itself finds bos/eos/pad by looking their piece text up, and
     * {@link SentencePieceModel} does the same.
     */
    public record TrainerSpec(ModelType modelType, int vocabSize, int unkId, int bosId, int eosId, int padId,
                              String unkPiece, String bosPiece, String eosPiece, String padPiece,
                              String unkSurface, boolean byteFallback, boolean treatWhitespaceAsSuffix) {

        /** The proto's defaults, which is what a model that leaves the message out gets. */
        static TrainerSpec defaults() {
            return new TrainerSpec(ModelType.UNIGRAM, 8000, 0, 1, 2, -1, "<unk>", "<s>", "</s>", "<pad>",
                    " \u2047 ", false, false);
        }
    }

    /**
     * {@code NormalizerSpec}: the compiled normalization rules ({@code precompiledCharsmap}, empty
     * for identity) and the whitespace options.
     */
    public record NormalizerSpec(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
                                 boolean removeExtraWhitespaces, boolean escapeWhitespaces) {

        static NormalizerSpec defaults() {
            return new NormalizerSpec("", new byte[0], true, true, true);
        }
    }
}
