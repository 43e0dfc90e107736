package io.parley.gateway.files;

/**
 * A file that will not be transcribed, with the stable code and HTTP status every API answers it
 * with in its own error shape (Parley's, Deepgram's, OpenAI's).
 */
public final class MediaRefused extends Exception {

    private final String code;
    private final int status;

    public MediaRefused(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** {@code unsupported_media_type}, {@code corrupt_media}, {@code media_too_long}, ... */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
