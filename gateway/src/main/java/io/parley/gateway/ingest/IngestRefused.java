package io.parley.gateway.ingest;

/** A speaker stream that could not be opened; {@link #code()} is the stable error code to send. */
public final class IngestRefused extends Exception {

    private final String code;

    public IngestRefused(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
