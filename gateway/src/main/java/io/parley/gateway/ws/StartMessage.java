package io.parley.gateway.ws;

import java.util.List;

import io.parley.gateway.ingest.SpeakerName;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.audio.AudioEncoding;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.AudioStreamFormat;
import io.vertx.core.json.JsonObject;

/**
 * A speaker's first message, checked field by field:
 * {@code {"type":"start","format":"pcm_s16le","sampleRate":16000,"channels":1,"language":"en","speaker":"Ana"}}.
 *
 * @param format   the audio's encoding, rate and channels
 * @param language an ISO 639 code or {@code auto}, not yet checked against the engine
 * @param speaker  display name
 * @param languages with {@code auto}: the languages to expect ({@code "languages": ["en","pt"]}), not yet
 *                 checked against the engine; empty for any
 */
public record StartMessage(AudioStreamFormat format, String language, String speaker, List<String> languages) {

    public StartMessage {
        languages = List.copyOf(languages);
    }


    /** A start message that cannot be used; {@link #code()} is the error code to send. */
    public static final class Invalid extends RuntimeException {
        private final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public static StartMessage parse(JsonObject msg) {
        String formatName = string(msg, "format", null);
        if (formatName == null) {
            throw new Invalid(ErrorCodes.INVALID_REQUEST, "start needs \"format\": \"pcm_s16le\" or \"opus\"");
        }
        AudioEncoding encoding = AudioEncoding.fromWireName(formatName).orElseThrow(() ->
                new Invalid(ErrorCodes.UNKNOWN_FORMAT, "unknown format '" + formatName + "'; use pcm_s16le or opus"));
        Integer defaultRate = encoding == AudioEncoding.OPUS ? 48000 : null;
        int sampleRate = integer(msg, "sampleRate", defaultRate);
        int channels = integer(msg, "channels", 1);
        String language = string(msg, "language", "auto");
        String speaker = string(msg, "speaker", SpeakerName.DEFAULT).strip();
        SpeakerName.problem(speaker).ifPresent(problem -> {
            throw new Invalid(ErrorCodes.INVALID_REQUEST, problem);
        });
        try {
            return new StartMessage(new AudioStreamFormat(encoding, sampleRate, channels), language, speaker,
                    strings(msg, "languages"));
        } catch (AudioFormatException e) {
            throw new Invalid(e.code(), e.getMessage());
        }
    }

    /** A list of strings, short enough for what it names; absent is empty. */
    private static List<String> strings(JsonObject msg, String field) {
        Object v = msg.getValue(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof io.vertx.core.json.JsonArray a) || !a.stream().allMatch(e -> e instanceof String s && s.length() <= 16)) {
            throw new Invalid(ErrorCodes.INVALID_REQUEST, "\"" + field + "\" must be a list of language codes");
        }
        if (a.size() > io.parley.gateway.ingest.SpeakerIngest.MAX_EXPECTED) {
            throw new Invalid(ErrorCodes.INVALID_REQUEST, "\"" + field + "\" names at most "
                    + io.parley.gateway.ingest.SpeakerIngest.MAX_EXPECTED + " languages");
        }
        return a.stream().map(e -> ((String) e).strip()).toList();
    }

    private static String string(JsonObject msg, String field, String fallback) {
        Object v = msg.getValue(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new Invalid(ErrorCodes.INVALID_REQUEST, "\"" + field + "\" must be a string");
        }
        return s;
    }

    private static int integer(JsonObject msg, String field, Integer fallback) {
        Object v = msg.getValue(field);
        if (v == null) {
            if (fallback == null) {
                throw new Invalid(ErrorCodes.INVALID_REQUEST, "start needs \"" + field + "\"");
            }
            return fallback;
        }
        // Checked as a double first: 4294983296 must not wrap around to 16000 on its way to an int.
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < 0 || n.doubleValue() > 1_000_000) {
            throw new Invalid(ErrorCodes.INVALID_REQUEST, "\"" + field + "\" must be a whole number from 0 to 1000000");
        }
        return n.intValue();
    }
}
