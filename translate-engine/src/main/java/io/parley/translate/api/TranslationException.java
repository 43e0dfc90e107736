package io.parley.translate.api;

/** A translation that could not be made; {@link #code()} is stable and travels to clients. */
public final class TranslationException extends RuntimeException {

    private final String code;

    public TranslationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public TranslationException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
