package io.parley.gateway.http;

import io.parley.gateway.auth.Role;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.GlossaryJson;
import io.parley.gateway.protocol.TranslateRequest;
import io.parley.translate.api.TranslationException;
import io.parley.translate.service.Glossary;
import io.parley.translate.service.TextTranslator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Text translation for the support use and for tests, and rooms' glossaries:
 * <ul>
 *   <li>{@code POST /v1/translate} {@code {"text","from","to"}} or {@code {"texts":[...],"from","to"}},
 *       optionally with {@code "room"} (its glossary applies; the room's token is needed) →
 *       the translations, the route and its engines, and the words the engines did not know;</li>
 *   <li>{@code PUT /v1/rooms/{room}/glossary} (speaker token) replaces a room's glossary,
 *       {@code GET} (viewer token) reads it.</li>
 * </ul>
 * Authorization is as for creating a room — the server's API key, or an admin token — unless the
 * request names a room and presents that room's token.
 */
final class TranslateApi {

    private final Vertx vertx;
    private final TextTranslator translator;
    private final java.util.Set<String> languages;
    private final ApiSupport api;
    /** Engines may block the thread that submits (a pipe to Apertium): submitted from here, never an event loop. */
    private final Executor submitter;

    TranslateApi(Vertx vertx, TextTranslator translator, java.util.Set<String> languages, ApiSupport api, Executor submitter) {
        this.vertx = vertx;
        this.translator = translator;
        this.languages = languages;
        this.api = api;
        this.submitter = submitter;
    }

    void mount(Router router) {
        router.post("/v1/translate").handler(this::translate);
        router.put("/v1/rooms/:room/glossary").handler(this::putGlossary);
        router.get("/v1/rooms/:room/glossary").handler(this::getGlossary);
    }

    private void translate(RoutingContext ctx) {
        TranslateRequest request;
        try {
            request = TranslateRequest.parse(ApiSupport.jsonObject(ctx), languages);
        } catch (TranslateRequest.Invalid e) {
            // The shape of a body is no secret: a malformed one is answered before authorization.
            api.fail(ctx, e.status(), e.code(), e.getMessage());
            return;
        }
        if (request.room().isEmpty()) {
            if (api.operatorAccepted(ctx, "translating")) {
                run(ctx, request, Glossary.EMPTY);
            }
            return;
        }
        // A named room: its token authorizes, and its glossary applies.
        api.withRoom(ctx, request.room().get(), Role.VIEWER, (room, claims) -> run(ctx, request, room.glossary()));
    }

    private void run(RoutingContext ctx, TranslateRequest request, Glossary glossary) {
        if (request.from().equals(request.to())) {
            respond(ctx, request, request.texts().stream().map(t -> new TextTranslator.Result(t, List.of(), null)).toList());
            return;
        }
        if (translator.router().route(request.from(), request.to()).isEmpty()) {
            api.fail(ctx, 400, ErrorCodes.UNSUPPORTED_PAIR, "no installed engine or route translates " + request.from()
                    + " into " + request.to() + "; GET /v1/languages lists the routes");
            return;
        }
        var context = vertx.getOrCreateContext();
        List<CompletableFuture<TextTranslator.Result>> parts = new ArrayList<>();
        for (String t : request.texts()) {
            parts.add(CompletableFuture.supplyAsync(() -> translator.translate(request.from(), request.to(), t, glossary),
                    submitter).thenCompose(f -> f));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> context.runOnContext(x -> {
            if (error != null) {
                Throwable cause = ApiSupport.cause(error);
                String code = cause instanceof TranslationException te ? te.code() : ErrorCodes.TRANSLATION_FAILED;
                api.fail(ctx, 502, code, "the translation failed: " + cause.getMessage());
                return;
            }
            respond(ctx, request, parts.stream().map(CompletableFuture::join).toList());
        }));
    }

    private void respond(RoutingContext ctx, TranslateRequest request, List<TextTranslator.Result> results) {
        JsonArray translations = new JsonArray();
        for (TextTranslator.Result r : results) {
            translations.add(new JsonObject().put("text", r.text()).put("unknownWords", new JsonArray(r.flagged())));
        }
        var route = results.getFirst().route();
        JsonObject out = new JsonObject().put("from", request.from()).put("to", request.to());
        if (route == null) {
            // Nothing to translate (every text empty): no engine was asked.
            out.put("route", new JsonArray(List.of(request.from()))).put("engines", new JsonArray()).put("steps", new JsonArray());
        } else {
            out.mergeIn(RouteJson.route(route, translator.router().scores()));
        }
        out.put("translations", translations);
        if (request.single()) {
            out.put("text", results.getFirst().text()).put("unknownWords", new JsonArray(results.getFirst().flagged()));
        }
        ApiSupport.json(ctx, 200, out);
    }

    private void putGlossary(RoutingContext ctx) {
        api.withRoom(ctx, Role.SPEAKER, (room, claims) -> {
            JsonObject body = ApiSupport.jsonObject(ctx);
            if (body == null) {
                api.fail(ctx, 400, ErrorCodes.BAD_JSON, "the body must be a JSON object: {\"terms\": [...], \"doNotTranslate\": [...]}");
                return;
            }
            Glossary g;
            try {
                g = GlossaryJson.parse(body);
            } catch (IllegalArgumentException e) {
                api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, e.getMessage());
                return;
            }
            var context = vertx.getOrCreateContext();
            room.setGlossary(g).whenComplete((v, error) -> context.runOnContext(x -> {
                if (error != null) {
                    ctx.response().putHeader("Retry-After", "2");
                    api.fail(ctx, 503, ErrorCodes.STORE_UNAVAILABLE, "the glossary could not be stored; try again");
                    return;
                }
                ApiSupport.json(ctx, 200, GlossaryJson.toJson(g).put("room", room.id()));
            }));
        });
    }

    private void getGlossary(RoutingContext ctx) {
        api.withRoom(ctx, Role.VIEWER, (room, claims) ->
                ApiSupport.json(ctx, 200, GlossaryJson.toJson(room.glossary()).put("room", room.id())));
    }
}
