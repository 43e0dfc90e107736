package io.parley.gateway.http;

import io.parley.gateway.auth.Role;
import io.parley.gateway.config.Durations;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.export.ExportFormat;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.RoomRefusal;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.room.RoomSettings;
import io.parley.gateway.room.SpeakerStream;
import io.parley.gateway.store.RoomRecord;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.translate.api.LanguageCodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.parley.gateway.room.Caption;
import io.parley.gateway.store.TranscriptStore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.time.Instant;
import java.util.Optional;

/**
 * Rooms over HTTP:
 * <ul>
 *   <li>{@code POST /v1/rooms} (API key or admin token) {@code {"task", "retention", "tokenTtl"}} →
 *       the room with a speaker and a viewer token;</li>
 *   <li>{@code GET /v1/rooms} (API key or admin token): the open rooms;</li>
 *   <li>{@code GET /v1/rooms/{room}} (viewer): who is there and what it holds;</li>
 *   <li>{@code DELETE /v1/rooms/{room}} (speaker or admin): closes it, and with it its tokens and,
 *       unless it has a retention, its transcript;</li>
 *   <li>{@code POST /v1/rooms/{room}/tokens} (speaker or admin) {@code {"role", "ttl"}}: another token;</li>
 *   <li>{@code GET /v1/rooms/{room}/transcript?lang=&format=json|vtt|srt} (viewer).</li>
 * </ul>
 */
final class RoomsApi {

    /** The longest a room may keep its finals. */
    static final Duration MAX_RETENTION = Duration.ofDays(3650);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Engines engines;
    private final RoomRegistry rooms;
    private final ApiSupport api;

    RoomsApi(Vertx vertx, GatewayConfig config, Engines engines, RoomRegistry rooms, ApiSupport api) {
        this.vertx = vertx;
        this.config = config;
        this.engines = engines;
        this.rooms = rooms;
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/rooms").handler(this::create);
        router.get("/v1/rooms").handler(this::list);
        router.get("/v1/rooms/:room/transcript").handler(this::transcript);
        router.post("/v1/rooms/:room/tokens").handler(this::mintToken);
        router.get("/v1/rooms/:room").handler(this::info);
        router.delete("/v1/rooms/:room").handler(this::close);
    }

    // ---- create ----

    private void create(RoutingContext ctx) {
        if (!api.operatorAccepted(ctx, "creating a room")) {
            return;
        }
        JsonObject body = new JsonObject();
        if (ctx.body().length() > 0) {
            body = ApiSupport.jsonObject(ctx);
            if (body == null) {
                api.fail(ctx, 400, ErrorCodes.BAD_JSON, "the body must be a JSON object (or empty)");
                return;
            }
        }
        RoomSettings settings = RoomSettings.defaults();
        Duration retention;
        Duration ttl;
        try {
            for (String field : body.fieldNames()) {
                if (!field.equals("task") && !field.equals("retention") && !field.equals("tokenTtl")) {
                    throw new IllegalArgumentException("unknown field '" + ApiSupport.clip(field)
                            + "'; a room takes task, retention and tokenTtl");
                }
            }
            if (body.getValue("task") != null) {
                settings = new RoomSettings(RoomSettings.parseTask(body.getValue("task")));
            }
            retention = retention(body.getValue("retention"));
            ttl = duration("tokenTtl", body.getValue("tokenTtl"), config.security().tokenTtl(),
                    config.security().maxTokenLifetime());
        } catch (IllegalArgumentException e) {
            api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, e.getMessage());
            return;
        }
        if (settings.task() == SessionOptions.Task.TRANSLATE && !engines.recognizer().translatesToEnglish()) {
            api.fail(ctx, 400, ErrorCodes.UNSUPPORTED_TASK, "the " + engines.recognizer().engine()
                    + " engine cannot translate speech into English; start Parley with a multilingual Whisper model");
            return;
        }
        var context = vertx.getOrCreateContext();
        RoomSettings chosen = settings;
        rooms.create(settings, retention, api.tokens().signingKeyId()).whenComplete((room, error) -> context.runOnContext(v -> {
            if (error != null) {
                refuse(ctx, error);
                return;
            }
            long expires = Instant.now().plus(ttl).getEpochSecond();
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/v1/rooms/" + room.id())
                    .end(new JsonObject().put("room", room.id()).put("task", chosen.taskName())
                            .put("retention", retention == null ? null : Durations.format(retention))
                            .put("speakerToken", api.tokens().mint(room.id(), Role.SPEAKER, ttl))
                            .put("viewerToken", api.tokens().mint(room.id(), Role.VIEWER, ttl))
                            .put("expiresAt", expires).encode());
        }));
    }

    /** {@code "retention"}: absent, null or "none": until the room closes; else a duration. */
    static Duration retention(Object value) {
        if (value == null || "none".equals(value)) {
            return null;
        }
        return duration("retention", value, null, MAX_RETENTION);
    }

    /** A duration field: a string like "7d" or a number of seconds. */
    static Duration duration(String field, Object value, Duration fallback, Duration max) {
        if (value == null) {
            return fallback;
        }
        Duration d;
        if (value instanceof Number n) {
            double s = n.doubleValue();
            if (!(s >= 1 && s <= max.toSeconds()) || s != Math.rint(s)) {
                throw new IllegalArgumentException("\"" + field + "\" must be a whole number of seconds from 1 to "
                        + max.toSeconds() + ", or a duration like \"2h\"");
            }
            d = Duration.ofSeconds(n.longValue());
        } else if (value instanceof String s) {
            d = Durations.parse("\"" + field + "\"", s);
        } else {
            throw new IllegalArgumentException("\"" + field + "\" must be a duration like \"2h\" or a number of seconds");
        }
        if (d.toSeconds() < 1 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("\"" + field + "\" must be between 1s and " + Durations.format(max));
        }
        return d;
    }

    private void refuse(RoutingContext ctx, Throwable error) {
        Throwable cause = ApiSupport.cause(error);
        if (cause instanceof RoomRefusal r) {
            api.fail(ctx, 503, r.code(), r.getMessage());
        } else {
            ctx.response().putHeader("Retry-After", "2");
            api.fail(ctx, 503, ErrorCodes.STORE_UNAVAILABLE, "the store did not answer; nothing was made, try again");
        }
    }

    // ---- list, info, close ----

    private void list(RoutingContext ctx) {
        if (!api.operatorAccepted(ctx, "listing rooms")) {
            return;
        }
        var context = vertx.getOrCreateContext();
        rooms.services().store().openRooms(1000).whenComplete((open, error) -> context.runOnContext(v -> {
            if (error != null) {
                refuse(ctx, error);
                return;
            }
            JsonArray out = new JsonArray();
            for (RoomRecord r : open) {
                out.add(new JsonObject().put("room", r.id()).put("created", r.created().toString())
                        .put("lastActivity", r.lastActivity().toString())
                        .put("retention", r.retention() == null ? null : Durations.format(r.retention())));
            }
            ApiSupport.json(ctx, 200, new JsonObject().put("rooms", out));
        }));
    }

    private void info(RoutingContext ctx) {
        api.withRoom(ctx, Role.VIEWER, (room, claims) -> {
            var context = vertx.getOrCreateContext();
            room.info().whenComplete((info, error) -> context.runOnContext(v -> {
                if (error != null) {
                    refuse(ctx, error);
                    return;
                }
                JsonArray speakers = new JsonArray();
                for (SpeakerStream s : room.speakers()) {
                    speakers.add(new JsonObject().put("speaker", s.name()).put("language", s.language()));
                }
                ApiSupport.json(ctx, 200, new JsonObject().put("room", room.id()).put("task", room.settings().taskName())
                        .put("created", room.created().toString())
                        .put("retention", room.retention() == null ? null : Durations.format(room.retention()))
                        .put("speakers", speakers).put("viewers", info.viewers())
                        .put("languages", new JsonArray(info.languages()))
                        .put("finals", info.finals()).put("lastSeq", info.lastSeq()));
            }));
        });
    }

    private void close(RoutingContext ctx) {
        api.withRoom(ctx, Role.SPEAKER, (room, claims) -> {
            var context = vertx.getOrCreateContext();
            rooms.close(room.id(), "closed by " + (claims.role() == Role.ADMIN ? "an admin" : "its speaker"))
                    .whenComplete((closed, error) -> context.runOnContext(v -> {
                        if (error != null) {
                            refuse(ctx, error);
                            return;
                        }
                        ApiSupport.json(ctx, 200, new JsonObject().put("room", room.id()).put("closed", true)
                                .put("transcriptKept", room.retention() != null));
                    }));
        });
    }

    private void mintToken(RoutingContext ctx) {
        api.withRoom(ctx, Role.SPEAKER, (room, claims) -> {
            JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ApiSupport.jsonObject(ctx);
            if (body == null) {
                api.fail(ctx, 400, ErrorCodes.BAD_JSON, "the body must be a JSON object: {\"role\": \"viewer\", \"ttl\": \"2h\"}");
                return;
            }
            Optional<Role> role = Role.fromClaim(body.getValue("role", "viewer"));
            if (role.isEmpty()) {
                api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "\"role\" must be viewer, speaker or admin");
                return;
            }
            if (!claims.role().allows(role.get())) {
                api.fail(ctx, 403, ErrorCodes.FORBIDDEN, "a " + claims.role().claim() + " token cannot mint a "
                        + role.get().claim() + " token");
                return;
            }
            Duration ttl;
            try {
                ttl = duration("ttl", body.getValue("ttl"), config.security().tokenTtl(), config.security().maxTokenLifetime());
            } catch (IllegalArgumentException e) {
                api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, e.getMessage());
                return;
            }
            ApiSupport.json(ctx, 201, new JsonObject().put("room", room.id()).put("role", role.get().claim())
                    .put("token", api.tokens().mint(room.id(), role.get(), ttl))
                    .put("expiresAt", Instant.now().plus(ttl).getEpochSecond()));
        });
    }

    // ---- transcript ----

    private void transcript(RoutingContext ctx) {
        Optional<ExportFormat> format = ExportFormat.parse(ctx.request().getParam("format"));
        String langParam = ctx.request().getParam("lang");
        Optional<String> lang = Optional.empty();
        if (langParam != null && !langParam.isBlank()) {
            lang = LanguageCodes.canonical(langParam).filter(engines.viewerLanguages()::contains);
            if (lang.isEmpty()) {
                api.fail(ctx, 400, ErrorCodes.UNSUPPORTED_LANGUAGE, "no captions can be made in '"
                        + ApiSupport.clip(langParam) + "'; available: " + engines.viewerLanguages());
                return;
            }
        }
        if (format.isEmpty()) {
            api.fail(ctx, 400, ErrorCodes.UNKNOWN_EXPORT_FORMAT, "format must be json, vtt or srt");
            return;
        }
        String roomId = ctx.pathParam("room");
        String chosen = lang.orElse(null);
        var context = vertx.getOrCreateContext();
        api.access(ctx.request(), roomId, Role.VIEWER).whenComplete((access, e) -> context.runOnContext(v -> {
            CompletableFuture<List<Caption>> finals;
            if (access.refusal() == null) {
                finals = access.room().transcript(chosen);
            } else if (access.refusal().status() == 410 && api.isServerAdmin(ctx.request())) {
                // A closed room that keeps its transcript (a retention): its operator may still export it.
                finals = rooms.closedTranscript(roomId, chosen == null ? TranscriptStore.ORIGINAL : chosen);
            } else {
                api.fail(ctx, access.refusal().status(), access.refusal().code(), access.refusal().message());
                return;
            }
            // Read from the store a page at a time, then rendered on a worker: a long meeting's
            // transcript is megabytes, not an event loop's work.
            finals.thenCompose(list -> vertx.executeBlocking(() -> format.get().render(roomId, chosen, list), false)
                            .toCompletionStage())
                    .whenComplete((text, error) -> context.runOnContext(x -> {
                        if (error != null) {
                            refuse(ctx, error);
                            return;
                        }
                        ctx.response().putHeader("Content-Type", format.get().contentType()).end(text);
                    }));
        }));
    }
}
