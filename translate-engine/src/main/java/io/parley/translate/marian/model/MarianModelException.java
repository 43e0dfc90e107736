package io.parley.translate.marian.model;

/** A translation model that cannot be used: foreign, truncated, or of an architecture Parley does not run. */
public final class MarianModelException extends RuntimeException {

    public MarianModelException(String message) {
        super(message);
    }
}
