package io.parley.speech.whisper.model;

/** A model file that cannot be used: truncated, of another format, or not the model expected. */
public final class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
