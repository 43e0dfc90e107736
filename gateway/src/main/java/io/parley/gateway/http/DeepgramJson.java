package io.parley.gateway.http;

import io.parley.speech.recognizer.RecognizedWord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Deepgram's message and response shapes, written from Parley's results: what its SDKs parse.
 * Words come as Deepgram gives them: {@code word} lower-cased without punctuation,
 * {@code punctuated_word} as recognised.
 */
final class DeepgramJson {

    /** The recognizer this server answers with, reported where Deepgram reports its model. */
    record Model(String requested, String engine) {
        /** A stable id per engine, where Deepgram has its model's UUID. */
        String uuid() {
            return UUID.nameUUIDFromBytes(("parley:" + engine).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        }

        JsonObject info() {
            return new JsonObject().put("name", requested == null || requested.isBlank() ? engine : requested)
                    .put("version", "parley-" + engine).put("arch", engine.split("-")[0]);
        }
    }

    private DeepgramJson() {
    }

    static JsonArray words(List<RecognizedWord> words, double offset) {
        JsonArray out = new JsonArray();
        for (RecognizedWord w : words) {
            String punctuated = w.word().strip();
            if (punctuated.isEmpty()) {
                continue;
            }
            String bare = punctuated.replaceAll("^[\\p{P}\\p{S}]+|[\\p{P}\\p{S}]+$", "").toLowerCase(Locale.ROOT);
            out.add(new JsonObject().put("word", bare.isEmpty() ? punctuated.toLowerCase(Locale.ROOT) : bare)
                    .put("start", round(offset + w.start())).put("end", round(offset + w.end()))
                    .put("confidence", round(w.confidence())).put("punctuated_word", punctuated));
        }
        return out;
    }

    /** The mean of the words' confidences, Deepgram's alternative confidence. */
    static double confidence(List<RecognizedWord> words) {
        return words.isEmpty() ? 0 : round(words.stream().mapToDouble(RecognizedWord::confidence).average().orElse(0));
    }

    static JsonObject alternative(String transcript, List<RecognizedWord> words, double offset) {
        return new JsonObject().put("transcript", transcript.strip()).put("confidence", confidence(words))
                .put("words", words(words, offset));
    }

    /** A live {@code Results} message. */
    static JsonObject results(String requestId, Model model, double start, double end, boolean isFinal, boolean speechFinal,
                              boolean fromFinalize, JsonObject alternative) {
        return new JsonObject().put("type", "Results").put("channel_index", new JsonArray().add(0).add(1))
                .put("duration", round(Math.max(0, end - start))).put("start", round(start))
                .put("is_final", isFinal).put("speech_final", speechFinal).put("from_finalize", fromFinalize)
                .put("channel", new JsonObject().put("alternatives", new JsonArray().add(alternative)))
                .put("metadata", new JsonObject().put("request_id", requestId).put("model_info", model.info())
                        .put("model_uuid", model.uuid()));
    }

    static JsonObject speechStarted(double timestamp) {
        return new JsonObject().put("type", "SpeechStarted").put("channel", new JsonArray().add(0).add(1))
                .put("timestamp", round(timestamp));
    }

    static JsonObject utteranceEnd(double lastWordEnd) {
        return new JsonObject().put("type", "UtteranceEnd").put("channel", new JsonArray().add(0).add(1))
                .put("last_word_end", round(lastWordEnd));
    }

    /** The metadata of a stream or a file: the live stream's closing {@code Metadata} message without its type. */
    static JsonObject metadata(String requestId, Model model, double duration, String sha256) {
        return new JsonObject().put("transaction_key", "deprecated").put("request_id", requestId)
                .put("sha256", sha256).put("created", Instant.now().toString()).put("duration", round(duration))
                .put("channels", 1).put("models", new JsonArray().add(model.uuid()))
                .put("model_info", new JsonObject().put(model.uuid(), model.info()));
    }

    /**
     * An error as Deepgram's REST API answers it ({@code err_code}, {@code err_msg},
     * {@code request_id}), with the category form's fields beside it and Parley's stable code.
     */
    static JsonObject error(String category, String message, String parleyCode, String requestId) {
        return new JsonObject().put("err_code", category).put("err_msg", message).put("category", category)
                .put("message", message).put("parley_code", parleyCode).put("request_id", requestId);
    }

    /** Deepgram's category for an HTTP status. */
    static String category(int status) {
        return switch (status) {
            case 401 -> "INVALID_AUTH";
            case 403 -> "INSUFFICIENT_PERMISSIONS";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 429 -> "TOO_MANY_REQUESTS";
            case 503 -> "SERVICE_UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_SERVER_ERROR" : "Bad Request";
        };
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
