package io.parley.gateway.protocol;

import io.parley.translate.api.LanguageCodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /v1/translate}, checked field by field:
 * {@code {"text": "...", "from": "en", "to": "pt"}} or {@code {"texts": [...], ...}}, optionally
 * {@code "room"} (whose glossary applies and whose token authorizes).
 *
 * @param texts  the texts, in order
 * @param single whether one {@code text} was given (the answer then repeats it at the top level)
 * @param from   canonical source language
 * @param to     canonical target language
 * @param room   the room named, if any
 */
public record TranslateRequest(List<String> texts, boolean single, String from, String to, Optional<String> room) {

    public static final int MAX_TEXTS = 64;
    public static final int MAX_TEXT_CHARS = 5000;

    /** A body that cannot be served; {@link #code()} is the error code, {@link #status()} the HTTP status. */
    public static final class Invalid extends Exception {
        private final String code;
        private final int status;

        Invalid(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    /** @param languages the languages some installed route starts or ends at */
    public static TranslateRequest parse(JsonObject body, Set<String> languages) throws Invalid {
        if (body == null) {
            throw new Invalid(400, ErrorCodes.BAD_JSON, "the body must be a JSON object: {\"text\", \"from\", \"to\"}");
        }
        for (String field : body.fieldNames()) {
            if (!Set.of("text", "texts", "from", "to", "room").contains(field)) {
                throw new Invalid(400, ErrorCodes.INVALID_REQUEST, "unknown field '" + clip(field)
                        + "'; a translation takes text or texts, from, to and room");
            }
        }
        List<String> texts = new ArrayList<>();
        boolean single = body.getValue("text") != null;
        Object raw = single ? body.getValue("text") : body.getValue("texts");
        if (single && body.getValue("texts") != null) {
            throw new Invalid(400, ErrorCodes.INVALID_REQUEST, "give \"text\" or \"texts\", not both");
        }
        if (single && raw instanceof String s) {
            texts.add(s);
        } else if (!single && raw instanceof JsonArray list && !list.isEmpty() && list.size() <= MAX_TEXTS
                && list.stream().allMatch(o -> o instanceof String)) {
            list.forEach(o -> texts.add((String) o));
        } else if (!single && raw instanceof JsonArray list && list.size() > MAX_TEXTS) {
            throw new Invalid(413, ErrorCodes.FRAME_TOO_LARGE, "at most " + MAX_TEXTS + " texts per request");
        } else {
            throw new Invalid(400, ErrorCodes.INVALID_REQUEST, "give \"text\" (a string) or \"texts\" (a non-empty list of strings)");
        }
        if (texts.stream().anyMatch(t -> t.length() > MAX_TEXT_CHARS)) {
            throw new Invalid(413, ErrorCodes.FRAME_TOO_LARGE, "at most " + MAX_TEXTS + " texts of " + MAX_TEXT_CHARS
                    + " characters each per request");
        }
        String from = language(body, "from", languages);
        String to = language(body, "to", languages);
        Object room = body.getValue("room");
        if (body.containsKey("room") && !(room instanceof String)) {
            throw new Invalid(400, ErrorCodes.INVALID_REQUEST, "\"room\" must be a room id, or left out");
        }
        return new TranslateRequest(List.copyOf(texts), single, from, to, Optional.ofNullable((String) room));
    }

    private static String language(JsonObject body, String field, Set<String> languages) throws Invalid {
        Object v = body.getValue(field);
        if (!(v instanceof String s)) {
            throw new Invalid(400, ErrorCodes.INVALID_REQUEST, "\"" + field + "\" must be a language code, e.g. \"en\"");
        }
        Optional<String> code = s.length() > 32 ? Optional.empty() : LanguageCodes.canonical(s).filter(languages::contains);
        if (code.isEmpty()) {
            throw new Invalid(400, ErrorCodes.UNSUPPORTED_LANGUAGE, "'" + clip(s) + "' is not a language Parley translates;"
                    + " it knows " + languages);
        }
        return code.get();
    }

    static String clip(String s) {
        String t = s.length() > 32 ? s.substring(0, 32) + "..." : s;
        return t.replaceAll("\\p{C}", "?");
    }
}
