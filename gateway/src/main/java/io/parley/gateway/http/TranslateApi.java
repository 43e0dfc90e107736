package io.parley.gateway.http;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.GlossaryJson;
import io.parley.gateway.room.RoomTokens;
import io.parley.translate.api.LanguageCodes;
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

/**
 * Text translation for the support use and for tests, and rooms' glossaries:
 * <ul>
 *   <li>{@code POST /v1/translate} {@code {"text","from","to"}} or {@code {"texts":[...],"from","to"}},
 *       optionally with {@code "room"} (its glossary applies; the room's token is needed) →
 *       the translations, the route and its engines, and the words the engines did not know;</li>
 *   <li>{@code PUT /v1/rooms/{room}/glossary} (speaker token) replaces a room's glossary,
 *       {@code GET} (viewer token) reads it.</li>
 * </ul>
 * Authorization is as for creating a room — the server's API key when it has one — or, for a
 * request that names a room, that room's token.
 */
final class TranslateApi {

    static final int MAX_TEXTS = 64;
    static final int MAX_TEXT_CHARS = 5000;

    private final Vertx vertx;
    private final TextTranslator translator;
    private final java.util.Set<String> languages;
    private final ApiSupport api;

    TranslateApi(Vertx vertx, TextTranslator translator, java.util.Set<String> languages,
                 ApiSupport api) {
        this.vertx = vertx;
        this.translator = translator;
        this.languages = languages;
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/translate").handler(this::translate);
        router.put("/v1/rooms/:room/glossary").handler(this::putGlossary);
        router.get("/v1/rooms/:room/glossary").handler(this::getGlossary);
    }

    private void translate(RoutingContext ctx) {
        JsonObject body = ApiSupport.jsonObject(ctx);
        // With a room, its token authorizes (a support page holds one); without, the API key does.
        if ((body == null || !body.containsKey("room")) && !api.apiKeyAccepted(ctx, "translating")) {
            return;
        }
        if (body == null) {
            api.fail(ctx, 400, ErrorCodes.BAD_JSON, "the body must be a JSON object: {\"text\", \"from\", \"to\"}");
            return;
        }
        List<String> texts = new ArrayList<>();
        boolean single = body.getValue("text") != null;
        Object raw = single ? body.getValue("text") : body.getValue("texts");
        if (single && raw instanceof String s) {
            texts.add(s);
        } else if (!single && raw instanceof JsonArray list && !list.isEmpty()
                && list.stream().allMatch(o -> o instanceof String)) {
            list.forEach(o -> texts.add((String) o));
        } else {
            api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "give \"text\" (a string) or \"texts\" (a non-empty list of strings)");
            return;
        }
        if (texts.size() > MAX_TEXTS || texts.stream().anyMatch(t -> t.length() > MAX_TEXT_CHARS)) {
            api.fail(ctx, 413, ErrorCodes.FRAME_TOO_LARGE, "at most " + MAX_TEXTS + " texts of " + MAX_TEXT_CHARS
                    + " characters each per request");
            return;
        }
        String from = language(ctx, body, "from");
        String to = from == null ? null : language(ctx, body, "to");
        if (to == null) {
            return;
        }
        Glossary glossary = Glossary.EMPTY;
        if (body.getValue("room") != null) {
            if (!(body.getValue("room") instanceof String roomId)) {
                api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "\"room\" must be a room id");
                return;
            }
            var room = api.authorize(ctx, roomId, RoomTokens.Access.VIEWER);
            if (room.isEmpty()) {
                return;
            }
            glossary = room.get().glossary();
        }
        if (from.equals(to)) {
            respond(ctx, single, from, to, texts.stream().map(t -> new TextTranslator.Result(t, List.of(), null)).toList());
            return;
        }
        if (translator.router().route(from, to).isEmpty()) {
            api.fail(ctx, 400, ErrorCodes.UNSUPPORTED_PAIR, "no installed engine or route translates " + from + " into "
                    + to + "; GET /v1/languages lists the routes");
            return;
        }
        List<CompletableFuture<TextTranslator.Result>> parts = new ArrayList<>();
        for (String t : texts) {
            parts.add(translator.translate(from, to, t, glossary));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> vertx.runOnContext(x -> {
            if (error != null) {
                Throwable cause = ApiSupport.cause(error);
                String code = cause instanceof TranslationException te ? te.code() : ErrorCodes.TRANSLATION_FAILED;
                api.fail(ctx, 502, code, "the translation failed: " + cause.getMessage());
                return;
            }
            respond(ctx, single, from, to, parts.stream().map(CompletableFuture::join).toList());
        }));
    }

    private void respond(RoutingContext ctx, boolean single, String from, String to, List<TextTranslator.Result> results) {
        JsonArray translations = new JsonArray();
        for (TextTranslator.Result r : results) {
            translations.add(new JsonObject().put("text", r.text()).put("unknownWords", new JsonArray(r.flagged())));
        }
        var route = results.getFirst().route();
        JsonObject out = new JsonObject().put("from", from).put("to", to)
                .put("route", new JsonArray(route == null ? List.of(from) : route.languages()))
                .put("engines", new JsonArray(route == null ? List.of() : route.engines()))
                .put("translations", translations);
        if (single) {
            out.put("text", results.getFirst().text()).put("unknownWords", new JsonArray(results.getFirst().flagged()));
        }
        ApiSupport.json(ctx, 200, out);
    }

    /** A language field, checked: its canonical code, or null once the error is answered. */
    private String language(RoutingContext ctx, JsonObject body, String field) {
        Object v = body.getValue(field);
        if (!(v instanceof String s)) {
            api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "\"" + field + "\" must be a language code, e.g. \"en\"");
            return null;
        }
        var code = LanguageCodes.canonical(s).filter(languages::contains);
        if (code.isEmpty()) {
            api.fail(ctx, 400, ErrorCodes.UNSUPPORTED_LANGUAGE, "'" + s + "' is not a language Parley translates; it knows "
                    + languages);
            return null;
        }
        return code.get();
    }

    private void putGlossary(RoutingContext ctx) {
        api.authorize(ctx, RoomTokens.Access.SPEAKER).ifPresent(room -> {
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
            room.setGlossary(g);
            ApiSupport.json(ctx, 200, GlossaryJson.toJson(g).put("room", room.id()));
        });
    }

    private void getGlossary(RoutingContext ctx) {
        api.authorize(ctx, RoomTokens.Access.VIEWER).ifPresent(room ->
                ApiSupport.json(ctx, 200, GlossaryJson.toJson(room.glossary()).put("room", room.id())));
    }
}
