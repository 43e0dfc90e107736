package io.parley.speech.recognizer;

import java.util.Objects;

/**
 * What a stream asks of the recognizer.
 *
 * @param language ISO 639-1 code of the speech, or {@code auto}
 * @param streamId a label for logs and thread names
 */
public record SessionOptions(String language, String streamId) {

    public static final String AUTO = "auto";

    public SessionOptions {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(streamId, "streamId");
    }
}
