package io.parley.translate.marian.text;

/**
 * What a vocabulary entry is, as SentencePiece's {@code ModelProto.SentencePiece.Type} says;
 * the numbers are the protobuf enum values in the model file.
 */
public enum PieceType {
    /** An ordinary subword, found by the segmentation and scored by its log-probability. */
    NORMAL(1),
    /** The single unknown piece that characters outside the vocabulary become. */
    UNKNOWN(2),
    /** Symbols such as {@code </s>} that the model uses but text never segments into. */
    CONTROL(3),
    /** Symbols that always stay one token where they occur in text (placeholders, tags). */
    USER_DEFINED(4),
    /** Entries kept for their ids but never produced by segmentation. */
    UNUSED(5),
    /** {@code <0xXX>} pieces that spell unknown characters byte by byte (byte fallback). */
    BYTE(6);

    private final int wire;

    PieceType(int wire) {
        this.wire = wire;
    }

    /** The type with this protobuf enum value, or null when the file has one this code does not know. */
    static PieceType ofWire(int value) {
        for (PieceType t : values()) {
            if (t.wire == value) {
                return t;
            }
        }
        return null;
    }
}
