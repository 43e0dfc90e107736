package io.parley.gateway.http;

import io.parley.gateway.auth.TokenService;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.net.ConnectionGuard;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.whip.WhipSessions;
import io.parley.translate.api.LanguageCodes;
import io.parley.translate.routing.Route;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.parley.gateway.files.AudioFileDecoder;
import io.parley.gateway.files.FileJobs;
import io.parley.gateway.files.FileTranscriber;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The v1 HTTP API and the two WebSocket endpoints, on one Vert.x router. */
public final class HttpApi {

    private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Engines engines;
    private final RoomRegistry rooms;
    private final GatewayMetrics metrics;
    private final ApiSupport api;
    private final WhipApi whip;
    private final ConnectionGuard guard;
    private final BooleanSupplier draining;
    private final io.parley.gateway.fleet.Fleet fleet;

    /** @param fleet the fleet this node is part of; null when it runs alone */
    public HttpApi(Vertx vertx, GatewayConfig config, Engines engines, RoomRegistry rooms, TokenService tokens,
                   GatewayMetrics metrics, WhipSessions whipSessions, ConnectionGuard guard, BooleanSupplier draining,
                   io.parley.gateway.fleet.Fleet fleet) {
        this.fleet = fleet;
        this.vertx = vertx;
        this.config = config;
        this.engines = engines;
        this.rooms = rooms;
        this.metrics = metrics;
        this.guard = guard;
        this.draining = draining;
        this.api = new ApiSupport(vertx, rooms, tokens, metrics, config.security().apiKey());
        this.whip = new WhipApi(vertx, whipSessions, api);
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(new SecurityHeaders());
        router.route().handler(this::admit);
        // Host pages on other origins call the API (the widget, WHIP); tokens are Bearer headers, not cookies.
        router.route("/v1/*").handler(CorsHandler.create()
                .allowedMethods(java.util.Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
                        HttpMethod.PATCH, HttpMethod.OPTIONS))
                .allowedHeaders(java.util.Set.of("Authorization", "Content-Type", "If-Match"))
                .exposedHeaders(java.util.Set.of("Location", "ETag", "Link", "Accept-Patch", "Retry-After")));
        mountFileApis(router);
        BodyHandler requestBodies = BodyHandler.create(false).setBodyLimit(config.connections().maxRequestBodyBytes());
        // Recorded files have a body handler of their own (to disk, with the file limit), mounted above.
        router.route("/v1/*").handler(ctx -> {
            if (FILE_PATHS.contains(ctx.request().path())) {
                ctx.next();
            } else {
                requestBodies.handle(ctx);
            }
        });
        new RoomsApi(vertx, config, engines, rooms, api).mount(router);
        new SocketsApi(vertx, config, engines, metrics, api).mount(router);
        router.get("/v1/languages").handler(this::languages);
        whip.mount(router);
        new TranslateApi(vertx, engines.textTranslator(), translatableLanguages(), api, rooms.services().translations()).mount(router);
        new ClusterApi(api, fleet).mount(router);
        router.get("/healthz").handler(this::health);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.render()));
        router.route("/v1/*").handler(ctx -> fail(ctx, 404, ErrorCodes.NOT_FOUND, "no such endpoint: "
                + ctx.request().method() + " " + ApiSupport.clip(ctx.request().path())));
        router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().failureHandler(this::onFailure);
        return router;
    }

    /** The APIs that take recorded files: their uploads go to disk, up to the file limit, not to memory. */
    private static final java.util.Set<String> FILE_PATHS = java.util.Set.of("/v1/audio/transcriptions", "/v1/audio/translations",
            "/v1/listen");

    /** Recorded files (OpenAI's and Deepgram's file APIs) and Deepgram's live stream. */
    private void mountFileApis(Router router) {
        java.nio.file.Path uploads = config.store().dataDir().resolve("uploads");
        sweep(uploads);
        FileJobs jobs = new FileJobs(config.files().maxConcurrentFiles());
        jobs.register(metrics);
        FileTranscriber transcriber = new FileTranscriber(engines.recognizer(), engines.textTranslator(),
                AudioFileDecoder.withSystemFfmpeg(config.files()), jobs);
        BodyHandler files = BodyHandler.create(uploads.toString()).setBodyLimit(config.files().maxUploadBytes())
                .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false);
        OpenAiAudioApi openAi = new OpenAiAudioApi(vertx, transcriber, api, FILE_WORK,
                engines.recognizer().translatesToEnglish(), engines.recognizer().languages());
        java.util.Set<String> translatable = translatableLanguages();
        DeepgramFileApi deepgramFiles = new DeepgramFileApi(vertx, transcriber, engines.recognizer(), translatable, api,
                FILE_WORK, uploads, config.files().maxUploadBytes(), config.files().allowUrlSources());
        DeepgramLiveApi deepgramLive = new DeepgramLiveApi(vertx, engines, translatable, api, config.limits(),
                metrics);
        router.post("/v1/listen").handler(deepgramFiles::listen);
        router.get("/v1/listen").handler(deepgramLive::listen);
        for (String path : java.util.List.of("/v1/audio/transcriptions", "/v1/audio/translations")) {
            router.post(path).handler(files).failureHandler(ctx -> OpenAiAudioApi.error(ctx,
                    ctx.statusCode() == 413 ? 413 : 400, "invalid_request_error", "file",
                    ctx.statusCode() == 413 ? ErrorCodes.UPLOAD_TOO_LARGE : ErrorCodes.INVALID_REQUEST,
                    ctx.statusCode() == 413 ? "the upload is larger than this server takes ("
                            + config.files().maxUploadBytes() / (1024 * 1024) + " MiB); raise --limit maxUploadBytes"
                            : "the upload could not be read"));
        }
        router.post("/v1/audio/transcriptions").handler(openAi::transcriptions);
        router.post("/v1/audio/translations").handler(openAi::translations);
    }

    /**
     * Uploads left by a gateway that stopped mid-request (a crash, kill -9): nobody will read them.
     * Only this gateway uses its data folder (it holds the folder's lock), so all of them go.
     */
    private static void sweep(java.nio.file.Path uploads) {
        try (var files = java.nio.file.Files.list(uploads)) {
            files.forEach(f -> {
                try {
                    java.nio.file.Files.deleteIfExists(f);
                } catch (java.io.IOException ignored) {
                    // tried again at the next start
                }
            });
        } catch (java.io.IOException noFolderYet) {
            // nothing to sweep
        }
    }

    /** Files are transcribed on threads of their own: a file takes minutes, and blocks on its decoder. */
    private static final java.util.concurrent.ExecutorService FILE_WORK =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-file-", 0).factory());

    /** The door: limits first, then, while the server drains, nothing new but health and metrics. */
    private void admit(RoutingContext ctx) {
        if (!guard.admit(ctx.request())) {
            return;
        }
        String path = ctx.request().path();
        if (draining.getAsBoolean() && !path.equals("/metrics")) {
            ctx.response().putHeader("Retry-After", "5").putHeader("Connection", "close");
            if (path.equals("/healthz")) {
                json(ctx, 503, new JsonObject().put("status", "draining"));
            } else {
                fail(ctx, 503, ErrorCodes.SERVER_SHUTDOWN, "the server is shutting down; try again shortly (or another server)");
            }
            return;
        }
        ctx.next();
    }

    /** Every language some route starts or ends at. */
    private java.util.Set<String> translatableLanguages() {
        java.util.Set<String> langs = new java.util.TreeSet<>();
        for (Route r : engines.router().routes()) {
            langs.add(r.pair().source());
            langs.add(r.pair().target());
        }
        return langs;
    }

    // ---- service ----

    private void languages(RoutingContext ctx) {
        JsonArray recognition = new JsonArray();
        for (String lang : new java.util.TreeSet<>(engines.recognizer().languages())) {
            recognition.add(new JsonObject().put("lang", lang).put("name", LanguageCodes.englishName(lang))
                    .put("engine", engines.recognizer().engine()));
        }
        JsonArray translation = new JsonArray();
        for (var choice : engines.router().choices()) {
            translation.add(new JsonObject().put("from", choice.pair().source()).put("to", choice.pair().target())
                    .put("name", LanguageCodes.englishName(choice.pair().target()))
                    .mergeIn(RouteJson.choice(choice, engines.router().scores())));
        }
        JsonArray speechToEnglish = new JsonArray();
        for (String lang : new java.util.TreeSet<>(engines.recognizer().languages())) {
            io.parley.translate.routing.SpeechRoutes.compare(engines.router(), lang).ifPresent(c -> speechToEnglish.add(
                    new JsonObject().put("lang", lang)
                            .put("via", c.whisperWins() ? "speech" : "text")
                            .put("speech", new JsonObject().put("chrF", c.whisperTranslate().chrF())
                                    .put("bleu", c.whisperTranslate().bleu()))
                            .put("text", new JsonObject().put("route", new JsonArray(
                                            engines.router().captionRoute(lang, "en").orElseThrow().languages()))
                                    .put("chrF", c.transcribeThenRoute().chrF()).put("bleu", c.transcribeThenRoute().bleu()))));
        }
        JsonArray viewer = new JsonArray();
        for (String lang : engines.viewerLanguages()) {
            viewer.add(new JsonObject().put("lang", lang).put("name", LanguageCodes.englishName(lang)));
        }
        json(ctx, 200, new JsonObject().put("recognition", recognition).put("autoDetect", engines.recognizer().identifiesLanguage())
                .put("tasks", engines.recognizer().translatesToEnglish()
                        ? new JsonArray().add("transcribe").add("translate") : new JsonArray().add("transcribe"))
                .put("translation", translation).put("speechToEnglish", speechToEnglish).put("captionLanguages", viewer));
    }

    private void health(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "ok")
                .put("speech", engines.recognizer().engine())
                .put("translation", new JsonArray(engines.translators().stream().map(t -> t.engine()).toList()))
                .put("rooms", rooms.size()));
    }

    // ---- helpers ----

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ApiSupport.json(ctx, status, body);
    }

    private void fail(RoutingContext ctx, int status, String code, String message) {
        api.fail(ctx, status, code, message);
    }

    private void onFailure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            fail(ctx, 413, ErrorCodes.FRAME_TOO_LARGE, "the request body is too large");
        } else if (status == 404) {
            fail(ctx, 404, ErrorCodes.NOT_FOUND, "not found");
        } else if (status < 500) {
            fail(ctx, status, ErrorCodes.INVALID_REQUEST, "bad request");
        } else {
            LOG.log(Level.WARNING, "request failed: " + ApiSupport.clip(ctx.request().path()), ctx.failure());
            fail(ctx, 500, ErrorCodes.INTERNAL, "the server failed on this request");
        }
    }
}
