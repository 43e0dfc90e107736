package io.parley.gateway.http;

import io.parley.gateway.files.FileCaptions;
import io.parley.gateway.files.FileTranscriber;
import io.parley.gateway.files.FileTranscript;
import io.parley.gateway.files.MediaRefused;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import io.parley.translate.api.LanguageCodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * OpenAI's transcription API, so that an application written for it works by changing its base
 * URL to {@code http://HOST:PORT/v1} and its key to Parley's API key:
 * <ul>
 *   <li>{@code POST /v1/audio/transcriptions}: multipart {@code file}, {@code model},
 *       {@code language}, {@code prompt} (its words become hints), {@code response_format}
 *       ({@code json}, {@code text}, {@code srt}, {@code vtt}, {@code verbose_json} with segments
 *       and, with {@code timestamp_granularities[]=word}, words), {@code temperature};</li>
 *   <li>{@code POST /v1/audio/translations}: the same into English, by the recognizer's own
 *       translation where it has one, else by translating the transcript.</li>
 * </ul>
 * Errors come in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, with
 * Parley's stable code in {@code code}.
 */
final class OpenAiAudioApi {

    private static final Set<String> FORMATS = Set.of("json", "text", "srt", "vtt", "verbose_json");

    private final Vertx vertx;
    private final FileTranscriber transcriber;
    private final ApiSupport api;
    private final Executor blocking;
    private final boolean recognizerTranslates;
    private final Set<String> languages;

    OpenAiAudioApi(Vertx vertx, FileTranscriber transcriber, ApiSupport api, Executor blocking, boolean recognizerTranslates,
                   Set<String> languages) {
        this.vertx = vertx;
        this.transcriber = transcriber;
        this.api = api;
        this.blocking = blocking;
        this.recognizerTranslates = recognizerTranslates;
        this.languages = languages;
    }

    void transcriptions(RoutingContext ctx) {
        handle(ctx, false);
    }

    void translations(RoutingContext ctx) {
        handle(ctx, true);
    }

    private void handle(RoutingContext ctx, boolean toEnglish) {
        var refused = api.operatorRefusal(VendorCredentials.bearerOrToken(ctx.request()), "transcription");
        if (refused.isPresent()) {
            error(ctx, 401, "invalid_request_error", null, ErrorCodes.UNAUTHORIZED, refused.get()
                    + "; send it as Authorization: Bearer KEY");
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            error(ctx, 400, "invalid_request_error", null, ErrorCodes.INVALID_REQUEST,
                    "send the audio as multipart/form-data with a 'file' part");
            return;
        }
        List<FileUpload> files = ctx.fileUploads().stream().filter(f -> f.name().equals("file")).toList();
        if (files.size() != 1) {
            error(ctx, 400, "invalid_request_error", "file", ErrorCodes.INVALID_REQUEST,
                    files.isEmpty() ? "the 'file' part is missing" : "send one 'file', not " + files.size());
            return;
        }
        var form = ctx.request().formAttributes();
        String model = form.get("model");
        if (model == null || model.isBlank() || model.length() > 100) {
            error(ctx, 400, "invalid_request_error", "model", ErrorCodes.INVALID_REQUEST,
                    "'model' is required (any name: Parley answers with its own recognizer and reports it)");
            return;
        }
        String format = orDefault(form.get("response_format"), "json");
        if (!FORMATS.contains(format)) {
            error(ctx, 400, "invalid_request_error", "response_format", ErrorCodes.INVALID_REQUEST,
                    "response_format must be json, text, srt, vtt or verbose_json, not '" + clip(format) + "'");
            return;
        }
        String language = toEnglish ? null : form.get("language");
        if (language != null && !language.isBlank()) {
            language = language.strip().toLowerCase(Locale.ROOT);
            if (!languages.contains(language)) {
                error(ctx, 400, "invalid_request_error", "language", ErrorCodes.UNSUPPORTED_LANGUAGE,
                        "language '" + clip(language) + "' is not one this server recognises (ISO-639-1 codes: "
                                + String.join(", ", new java.util.TreeSet<>(languages)) + ")");
                return;
            }
        } else {
            language = SessionOptions.AUTO;
        }
        String temperature = form.get("temperature");
        if (temperature != null && !temperature.isBlank()) {
            try {
                double t = Double.parseDouble(temperature);
                if (!(t >= 0 && t <= 1)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                error(ctx, 400, "invalid_request_error", "temperature", ErrorCodes.INVALID_REQUEST,
                        "temperature must be a number from 0 to 1");
                return;
            }
        }
        List<String> granularities = form.getAll("timestamp_granularities[]");
        for (String g : granularities) {
            if (!g.equals("word") && !g.equals("segment")) {
                error(ctx, 400, "invalid_request_error", "timestamp_granularities", ErrorCodes.INVALID_REQUEST,
                        "timestamp_granularities[] takes word and segment, not '" + clip(g) + "'");
                return;
            }
        }
        String prompt = form.get("prompt");
        List<String> hints = prompt == null || prompt.isBlank() ? List.of() : List.of(clip(prompt.strip(), 500));
        boolean speechTranslates = toEnglish && recognizerTranslates;
        FileTranscriber.Request request = new FileTranscriber.Request(language,
                speechTranslates ? SessionOptions.Task.TRANSLATE : SessionOptions.Task.TRANSCRIBE, hints,
                toEnglish && !speechTranslates ? List.of("en") : List.of());
        Path file = Path.of(files.getFirst().uploadedFileName());
        var context = vertx.getOrCreateContext();
        String lang = language;
        CompletableFuture.supplyAsync(() -> {
            try {
                return transcriber.transcribe(file, request, done -> { });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, blocking).whenComplete((t, e) -> context.runOnContext(v -> {
            if (e != null) {
                Throwable cause = ApiSupport.cause(e);
                if (cause instanceof MediaRefused m) {
                    error(ctx, m.status(), m.status() >= 500 ? "server_error" : "invalid_request_error", "file", m.code(),
                            m.getMessage());
                } else {
                    error(ctx, 500, "server_error", null, ErrorCodes.INTERNAL, "transcription failed");
                }
                return;
            }
            String textLang = toEnglish && !speechTranslates ? "en" : null;
            answer(ctx, t, format, granularities.contains("word"), toEnglish, textLang, lang);
        }));
    }

    private static void answer(RoutingContext ctx, FileTranscript t, String format, boolean words, boolean toEnglish,
                               String textLang, String requestedLanguage) {
        String text = textLang == null ? t.text() : String.join(" ", t.translations().get(textLang)).strip();
        switch (format) {
            case "text" -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(text + "\n");
            case "srt" -> ctx.response().putHeader("Content-Type", "application/x-subrip; charset=utf-8")
                    .end(FileCaptions.srt(t, textLang));
            case "vtt" -> ctx.response().putHeader("Content-Type", "text/vtt; charset=utf-8").end(FileCaptions.vtt(t, textLang));
            case "verbose_json" -> {
                String spoken = toEnglish ? "en" : t.language(SessionOptions.AUTO.equals(requestedLanguage) ? "en" : requestedLanguage);
                JsonArray segments = new JsonArray();
                JsonArray wordList = new JsonArray();
                int id = 0;
                for (int i = 0; i < t.finals().size(); i++) {
                    Utterance u = t.finals().get(i);
                    String segmentText = textLang == null ? u.text().strip() : t.translations().get(textLang).get(i);
                    if (segmentText.isBlank()) {
                        continue;
                    }
                    segments.add(new JsonObject().put("id", id++).put("seek", 0).put("start", round(u.start()))
                            .put("end", round(u.end())).put("text", " " + segmentText).put("tokens", new JsonArray())
                            .put("temperature", 0.0).put("avg_logprob", avgLogProb(u)).put("compression_ratio", 1.0)
                            .put("no_speech_prob", 0.0));
                    if (textLang == null) {
                        for (RecognizedWord w : u.words()) {
                            wordList.add(new JsonObject().put("word", w.word().strip()).put("start", round(w.start()))
                                    .put("end", round(w.end())));
                        }
                    }
                }
                JsonObject body = new JsonObject().put("task", toEnglish ? "translate" : "transcribe")
                        .put("language", LanguageCodes.englishName(spoken).toLowerCase(Locale.ROOT))
                        .put("duration", round(t.seconds())).put("text", text).put("segments", segments);
                if (words) {
                    body.put("words", wordList);
                }
                ApiSupport.json(ctx, 200, body);
            }
            default -> ApiSupport.json(ctx, 200, new JsonObject().put("text", text));
        }
    }

    /** A segment's mean log-probability from its words' confidences (what clients threshold on). */
    private static double avgLogProb(Utterance u) {
        if (u.words().isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (RecognizedWord w : u.words()) {
            sum += Math.log(Math.max(1e-6, Math.min(1, w.confidence())));
        }
        return round(sum / u.words().size());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v.strip();
    }

    private static String clip(String s) {
        return clip(s, 40);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** OpenAI's error shape; Parley's stable code goes in {@code code}. */
    static void error(RoutingContext ctx, int status, String type, String param, String code, String message) {
        if (status == 503) {
            ctx.response().putHeader("Retry-After", "5");
        }
        ApiSupport.json(ctx, status, new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .put("param", param).put("code", code)));
    }
}
