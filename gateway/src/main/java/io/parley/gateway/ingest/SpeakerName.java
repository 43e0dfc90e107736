package io.parley.gateway.ingest;

import io.parley.gateway.protocol.SafeText;

import java.util.Optional;

/** The display name a speaker gives itself, checked the same way on every transport. */
public final class SpeakerName {

    public static final int MAX_LENGTH = 64;
    public static final String DEFAULT = "Speaker";

    private SpeakerName() {
    }

    /** What is wrong with a name, if anything. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return Optional.of("\"speaker\" must be 1 to " + MAX_LENGTH + " printable characters");
        }
        return SafeText.problem("\"speaker\"", name);
    }
}
