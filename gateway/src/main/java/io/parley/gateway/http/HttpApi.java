package io.parley.gateway.http;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.export.ExportFormat;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.room.RoomSettings;
import io.parley.gateway.room.RoomTokens;
import io.parley.gateway.room.SpeakerStream;
import io.parley.gateway.whip.WhipSessions;
import io.parley.gateway.ws.CloseCodes;
import io.parley.gateway.ws.Credentials;
import io.parley.gateway.ws.SpeakerSocket;
import io.parley.gateway.ws.ViewerSocket;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.translate.api.LanguageCodes;
import io.parley.translate.routing.Route;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
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
    private final AtomicLong connections = new AtomicLong();
    private final ApiSupport api;
    private final WhipApi whip;

    public HttpApi(Vertx vertx, GatewayConfig config, Engines engines, RoomRegistry rooms, GatewayMetrics metrics,
                   WhipSessions whipSessions) {
        this.vertx = vertx;
        this.config = config;
        this.engines = engines;
        this.rooms = rooms;
        this.metrics = metrics;
        this.api = new ApiSupport(rooms, metrics, config.apiKey());
        this.whip = new WhipApi(vertx, whipSessions, api);
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(new SecurityHeaders());
        // Host pages on other origins call the API (the widget, WHIP); tokens are Bearer headers, not cookies.
        router.route("/v1/*").handler(CorsHandler.create()
                .allowedMethods(java.util.Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
                        HttpMethod.PATCH, HttpMethod.OPTIONS))
                .allowedHeaders(java.util.Set.of("Authorization", "Content-Type", "If-Match"))
                .exposedHeaders(java.util.Set.of("Location", "ETag", "Link", "Accept-Patch")));
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
        router.post("/v1/rooms").handler(this::createRoom);
        router.get("/v1/rooms/:room/speak").handler(this::speak);
        router.get("/v1/rooms/:room/captions").handler(this::captions);
        router.get("/v1/rooms/:room/transcript").handler(this::transcript);
        router.get("/v1/rooms/:room").handler(this::roomInfo);
        router.get("/v1/languages").handler(this::languages);
        whip.mount(router);
        new TranslateApi(vertx, engines.textTranslator(), translatableLanguages(), api).mount(router);
        router.get("/healthz").handler(this::health);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.render()));
        router.route("/v1/*").handler(ctx -> fail(ctx, 404, ErrorCodes.NOT_FOUND, "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path()));
        router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().failureHandler(this::onFailure);
        return router;
    }

    // ---- rooms ----

    private void createRoom(RoutingContext ctx) {
        if (!api.apiKeyAccepted(ctx, "creating a room")) {
            return;
        }
        RoomSettings settings = RoomSettings.defaults();
        if (ctx.body().length() > 0) {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (RuntimeException e) {
                fail(ctx, 400, ErrorCodes.BAD_JSON, "the body must be a JSON object (or empty)");
                return;
            }
            Object task = body == null ? null : body.getValue("task");
            if (task != null) {
                try {
                    settings = new RoomSettings(RoomSettings.parseTask(task));
                } catch (IllegalArgumentException e) {
                    fail(ctx, 400, ErrorCodes.INVALID_REQUEST, e.getMessage());
                    return;
                }
                if (settings.task() == SessionOptions.Task.TRANSLATE && !engines.recognizer().translatesToEnglish()) {
                    fail(ctx, 400, ErrorCodes.UNSUPPORTED_TASK, "the " + engines.recognizer().engine()
                            + " engine cannot translate speech into English; start Parley with a multilingual Whisper model");
                    return;
                }
            }
        }
        Optional<Room> room = rooms.create(settings);
        if (room.isEmpty()) {
            fail(ctx, 503, ErrorCodes.CAPACITY, "the server has as many rooms open as it allows");
            return;
        }
        Room r = room.get();
        ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/v1/rooms/" + r.id())
                .end(new JsonObject().put("room", r.id()).put("task", settings.taskName())
                        .put("speakerToken", r.tokens().speakerToken())
                        .put("viewerToken", r.tokens().viewerToken()).encode());
    }

    private Optional<Room> authorize(RoutingContext ctx, RoomTokens.Access needed) {
        return api.authorize(ctx, needed);
    }

    private void roomInfo(RoutingContext ctx) {
        authorize(ctx, RoomTokens.Access.VIEWER).ifPresent(room -> {
            JsonArray speakers = new JsonArray();
            for (SpeakerStream s : room.speakers()) {
                speakers.add(new JsonObject().put("speaker", s.name()).put("language", s.language()));
            }
            json(ctx, 200, new JsonObject().put("room", room.id()).put("task", room.settings().taskName())
                    .put("created", room.created().toString())
                    .put("speakers", speakers).put("viewers", room.viewerCount())
                    .put("languages", new JsonArray(room.languagesWatched()))
                    .put("finals", room.finalCount()).put("lastSeq", room.lastSeq()));
        });
    }

    private void transcript(RoutingContext ctx) {
        authorize(ctx, RoomTokens.Access.VIEWER).ifPresent(room -> {
            Optional<ExportFormat> format = ExportFormat.parse(ctx.request().getParam("format"));
            if (format.isEmpty()) {
                fail(ctx, 400, ErrorCodes.UNKNOWN_EXPORT_FORMAT, "format must be json, vtt or srt");
                return;
            }
            String langParam = ctx.request().getParam("lang");
            String lang = null;
            if (langParam != null && !langParam.isBlank()) {
                Optional<String> canonical = LanguageCodes.canonical(langParam).filter(engines.viewerLanguages()::contains);
                if (canonical.isEmpty()) {
                    fail(ctx, 400, ErrorCodes.UNSUPPORTED_LANGUAGE, "no captions can be made in '" + langParam
                            + "'; available: " + engines.viewerLanguages());
                    return;
                }
                lang = canonical.get();
            }
            String chosen = lang;
            room.transcript(lang).whenComplete((finals, error) -> vertx.runOnContext(v -> {
                if (error != null) {
                    ctx.fail(error);
                    return;
                }
                ctx.response().putHeader("Content-Type", format.get().contentType())
                        .end(format.get().render(room.id(), chosen, finals));
            }));
        });
    }

    // ---- sockets ----

    private void speak(RoutingContext ctx) {
        upgrade(ctx, RoomTokens.Access.SPEAKER, (ws, room) -> new SpeakerSocket(vertx, ws, room, engines,
                config.limits(), metrics, Long.toString(connections.incrementAndGet())).start());
    }

    private void captions(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String langParam = req.getParam("lang");
        String sinceParam = req.getParam("since");
        upgrade(ctx, RoomTokens.Access.VIEWER, (ws, room) -> {
            String lang = null;
            if (langParam != null && !langParam.isBlank()) {
                Optional<String> canonical = LanguageCodes.canonical(langParam).filter(engines.viewerLanguages()::contains);
                if (canonical.isEmpty()) {
                    closeWithError(ws, CloseCodes.BAD_REQUEST, ErrorCodes.UNSUPPORTED_LANGUAGE,
                            "no captions can be made in '" + langParam + "'; available: " + engines.viewerLanguages());
                    return;
                }
                lang = canonical.get();
            }
            long since = -1;
            if (sinceParam != null && !sinceParam.isBlank()) {
                try {
                    since = Long.parseLong(sinceParam);
                } catch (NumberFormatException e) {
                    closeWithError(ws, CloseCodes.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, "since must be a caption seq number");
                    return;
                }
            }
            new ViewerSocket(ws, room, lang, config.limits(), metrics).start(since);
        });
    }

    private interface SocketStarter {
        void start(ServerWebSocket ws, Room room);
    }

    /**
     * Upgrades to a WebSocket, then checks room and token. Refusals are sent as an error message
     * and a 44xx close rather than an HTTP status, because browsers cannot read the status of a
     * refused WebSocket handshake.
     */
    private void upgrade(RoutingContext ctx, RoomTokens.Access needed, SocketStarter starter) {
        HttpServerRequest req = ctx.request();
        if (!req.canUpgradeToWebSocket()) {
            fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "this endpoint is a WebSocket");
            return;
        }
        Optional<Room> room = rooms.get(ctx.pathParam("room"));
        String token = Credentials.token(req);
        req.toWebSocket().onSuccess(ws -> {
            if (room.isEmpty()) {
                closeWithError(ws, CloseCodes.NOT_FOUND, ErrorCodes.ROOM_NOT_FOUND, "no room '" + ctx.pathParam("room") + "'");
            } else if (token == null) {
                closeWithError(ws, CloseCodes.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, "a room token is required");
            } else if (room.get().tokens().check(token).ordinal() < needed.ordinal()) {
                closeWithError(ws, CloseCodes.FORBIDDEN, ErrorCodes.FORBIDDEN, "this token does not allow that in this room");
            } else {
                starter.start(ws, room.get());
            }
        }).onFailure(e -> LOG.log(Level.FINE, "WebSocket upgrade failed", e));
    }

    private void closeWithError(ServerWebSocket ws, short closeCode, String code, String message) {
        metrics.error(code);
        ws.writeTextMessage(ErrorMessage.encode(code, message)).onComplete(ar -> ws.close(closeCode, code));
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
        for (Route route : engines.router().routes()) {
            translation.add(new JsonObject().put("from", route.pair().source()).put("to", route.pair().target())
                    .put("name", LanguageCodes.englishName(route.pair().target()))
                    .put("route", new JsonArray(route.languages())).put("engines", new JsonArray(route.engines())));
        }
        JsonArray viewer = new JsonArray();
        for (String lang : engines.viewerLanguages()) {
            viewer.add(new JsonObject().put("lang", lang).put("name", LanguageCodes.englishName(lang)));
        }
        json(ctx, 200, new JsonObject().put("recognition", recognition).put("autoDetect", engines.recognizer().identifiesLanguage())
                .put("tasks", engines.recognizer().translatesToEnglish()
                        ? new JsonArray().add("transcribe").add("translate") : new JsonArray().add("transcribe"))
                .put("translation", translation).put("captionLanguages", viewer));
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
            LOG.log(Level.WARNING, "request failed: " + ctx.request().path(), ctx.failure());
            fail(ctx, 500, ErrorCodes.INTERNAL, "the server failed on this request");
        }
    }
}
