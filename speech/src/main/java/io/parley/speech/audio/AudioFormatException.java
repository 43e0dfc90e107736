package io.parley.speech.audio;

/**
 * Audio that cannot be accepted: an unsupported format, or a frame that does not decode.
 * The {@link #code()} is stable and travels to the client unchanged.
 */
public final class AudioFormatException extends RuntimeException {

    private final String code;

    public AudioFormatException(String code, String message) {
        super(message);
        this.code = code;
    }

    public AudioFormatException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
