package io.parley.translate.marian.text;

import java.io.IOException;

/**
 * A file that is not a SentencePiece model Parley can use: truncated, not protobuf at all, a
 * protobuf of another kind, or a model type other than unigram. The message says which, in words
 * meant for whoever put the file there.
 */
public final class ModelFormatException extends IOException {

    public ModelFormatException(String message) {
        super(message);
    }
}
