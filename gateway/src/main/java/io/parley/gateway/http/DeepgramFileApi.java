package io.parley.gateway.http;

import io.parley.gateway.files.FileTranscriber;
import io.parley.gateway.files.FileTranscript;
import io.parley.gateway.files.MediaRefused;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.recognizer.Utterance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Deepgram's pre-recorded transcription, {@code POST /v1/listen} with the audio as the body,
 * answered in Deepgram's response shape; {@code ?translate=es,pt} (Parley's extension) adds a
 * {@code translations} list to the alternative and to each utterance. A {@code {"url": ...}}
 * body is refused unless the operator allowed URL sources ({@link UrlSource}).
 */
final class DeepgramFileApi {

    private final Vertx vertx;
    private final FileTranscriber transcriber;
    private final SpeechRecognizer recognizer;
    private final Set<String> translatable;
    private final ApiSupport api;
    private final Executor work;
    private final Path uploads;
    private final long maxUploadBytes;
    private final boolean allowUrls;

    DeepgramFileApi(Vertx vertx, FileTranscriber transcriber, SpeechRecognizer recognizer, Set<String> translatable,
                    ApiSupport api, Executor work, Path uploads, long maxUploadBytes, boolean allowUrls) {
        this.vertx = vertx;
        this.transcriber = transcriber;
        this.recognizer = recognizer;
        this.translatable = translatable;
        this.api = api;
        this.work = work;
        this.uploads = uploads;
        this.maxUploadBytes = maxUploadBytes;
        this.allowUrls = allowUrls;
    }

    void listen(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        var refused = api.operatorRefusal(VendorCredentials.bearerOrToken(ctx.request()), "transcription");
        if (refused.isPresent()) {
            error(ctx, 401, ErrorCodes.UNAUTHORIZED, refused.get() + "; send it as Authorization: Token KEY", requestId);
            return;
        }
        DeepgramOptions options;
        try {
            options = DeepgramOptions.parse(ctx.queryParams(), recognizer.languages(), translatable, recognizer.identifiesLanguage());
        } catch (DeepgramOptions.Invalid e) {
            error(ctx, 400, e.code(), e.getMessage(), requestId);
            return;
        }
        String type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase(Locale.ROOT);
        var context = vertx.getOrCreateContext();
        if (type.startsWith("application/json")) {
            if (!allowUrls) {
                error(ctx, 400, ErrorCodes.INVALID_REQUEST, "this server does not fetch audio from a URL (an operator may"
                        + " allow it with --limit allowUrlSources=true); send the file itself as the body, with any audio"
                        + " Content-Type", requestId);
                return;
            }
            ctx.request().body().onComplete(body -> {
                String url;
                try {
                    if (body.failed() || body.result().length() > 8192) {
                        throw new IllegalArgumentException();
                    }
                    url = new JsonObject(body.result()).getString("url");
                    if (url == null || url.isBlank()) {
                        throw new IllegalArgumentException();
                    }
                } catch (RuntimeException e) {
                    error(ctx, 400, ErrorCodes.BAD_JSON, "a JSON body is {\"url\": \"https://...\"}", requestId);
                    return;
                }
                CompletableFuture.supplyAsync(() -> {
                    try {
                        return UrlSource.fetch(url, uploads, maxUploadBytes);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, work).whenComplete((file, e) -> context.runOnContext(v -> {
                    if (e != null) {
                        Throwable cause = ApiSupport.cause(e);
                        MediaRefused m = cause instanceof MediaRefused r ? r
                                : new MediaRefused(ErrorCodes.INTERNAL, 500, "the URL could not be fetched");
                        error(ctx, m.status(), m.code(), m.getMessage(), requestId);
                        return;
                    }
                    transcribe(ctx, file, options, requestId);
                }));
            });
            return;
        }
        RawUpload.toFile(vertx, ctx.request(), uploads, maxUploadBytes).onComplete(upload -> {
            if (upload.failed()) {
                if (upload.cause() instanceof RawUpload.TooLarge) {
                    error(ctx, 413, ErrorCodes.UPLOAD_TOO_LARGE, "the upload is larger than this server takes ("
                            + maxUploadBytes / (1024 * 1024) + " MiB); raise --limit maxUploadBytes", requestId);
                } else {
                    error(ctx, 400, ErrorCodes.INVALID_REQUEST, "the upload could not be read", requestId);
                }
                return;
            }
            transcribe(ctx, upload.result(), options, requestId);
        });
    }

    /** Transcribes a file that is on disk now, deletes it, and answers. */
    private void transcribe(RoutingContext ctx, Path file, DeepgramOptions options, String requestId) {
        var context = vertx.getOrCreateContext();
        FileTranscriber.Request request = new FileTranscriber.Request(options.language(),
                SessionOptions.Task.TRANSCRIBE, options.hints(), options.translate());
        CompletableFuture.supplyAsync(() -> {
            try {
                return new Object[]{transcriber.transcribe(file, request, done -> { }), sha256(file)};
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            } finally {
                try {
                    Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temporary file; the data folder's uploads are swept at start
                }
            }
        }, work).whenComplete((result, e) -> context.runOnContext(v -> {
            if (e != null) {
                Throwable cause = ApiSupport.cause(e);
                if (cause instanceof MediaRefused m) {
                    error(ctx, m.status(), m.code(), m.getMessage(), requestId);
                } else {
                    error(ctx, 500, ErrorCodes.INTERNAL, "transcription failed", requestId);
                }
                return;
            }
            ApiSupport.json(ctx, 200, response((FileTranscript) result[0], (String) result[1], options, requestId));
        }));
    }

    private JsonObject response(FileTranscript t, String sha, DeepgramOptions options, String requestId) {
        DeepgramJson.Model model = new DeepgramJson.Model(options.model(), recognizer.engine());
        List<RecognizedWord> allWords = new ArrayList<>();
        for (Utterance u : t.finals()) {
            allWords.addAll(u.words());
        }
        JsonObject alternative = DeepgramJson.alternative(t.text(), allWords, 0);
        if (!options.translate().isEmpty()) {
            JsonArray translations = new JsonArray();
            for (String lang : options.translate()) {
                translations.add(new JsonObject().put("language", lang).put("translation",
                        String.join(" ", t.translations().get(lang).stream().filter(s -> !s.isBlank()).toList())));
            }
            alternative.put("translations", translations);
        }
        String language = t.language(SessionOptions.AUTO.equals(options.language()) ? "en" : options.language());
        JsonObject channel = new JsonObject().put("alternatives", new JsonArray().add(alternative));
        if (SessionOptions.AUTO.equals(options.language())) {
            channel.put("detected_language", language).put("language_confidence", 1.0);
        }
        JsonObject results = new JsonObject().put("channels", new JsonArray().add(channel));
        if (options.utterances()) {
            JsonArray utterances = new JsonArray();
            for (int i = 0; i < t.finals().size(); i++) {
                Utterance u = t.finals().get(i);
                if (u.text().isBlank()) {
                    continue;
                }
                JsonObject utterance = new JsonObject().put("start", DeepgramJson.round(u.start()))
                        .put("end", DeepgramJson.round(u.end())).put("confidence", DeepgramJson.confidence(u.words()))
                        .put("channel", 0).put("transcript", u.text().strip()).put("words", DeepgramJson.words(u.words(), 0))
                        .put("id", UUID.nameUUIDFromBytes((requestId + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .toString());
                if (!options.translate().isEmpty()) {
                    JsonArray translations = new JsonArray();
                    for (String lang : options.translate()) {
                        translations.add(new JsonObject().put("language", lang).put("translation", t.translations().get(lang).get(i)));
                    }
                    utterance.put("translations", translations);
                }
                utterances.add(utterance);
            }
            results.put("utterances", utterances);
        }
        return new JsonObject().put("metadata", DeepgramJson.metadata(requestId, model, t.seconds(), sha)).put("results", results);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void error(RoutingContext ctx, int status, String code, String message, String requestId) {
        if (status == 503) {
            ctx.response().putHeader("Retry-After", "5");
        }
        ctx.response().putHeader("dg-request-id", requestId);
        ApiSupport.json(ctx, status, DeepgramJson.error(DeepgramJson.category(status), message, code, requestId));
    }
}
