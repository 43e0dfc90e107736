package io.parley.speech.recognizer;

/** A recognizer refused or failed; {@link #code()} is stable and travels to clients. */
public final class RecognizerException extends RuntimeException {

    private final String code;

    public RecognizerException(String code, String message) {
        super(message);
        this.code = code;
    }

    public RecognizerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
