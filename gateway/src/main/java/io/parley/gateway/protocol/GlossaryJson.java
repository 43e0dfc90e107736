package io.parley.gateway.protocol;

import io.parley.translate.api.LanguageCodes;
import io.parley.translate.service.Glossary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A glossary on the wire:
 * {@code {"terms":[{"term":"ticket","translations":{"pt":"chamado","es":"incidencia"}}],
 * "doNotTranslate":["Parley","Acme Cloud"]}}. A term without translations, or one listed under
 * {@code doNotTranslate}, is kept as it is in every language.
 */
public final class GlossaryJson {

    private GlossaryJson() {
    }

    /** Parses and checks a glossary; the exception's message says what is wrong. */
    public static Glossary parse(JsonObject body) {
        List<Glossary.Entry> entries = new ArrayList<>();
        Object terms = body.getValue("terms");
        Object keep = body.getValue("doNotTranslate");
        for (String key : body.fieldNames()) {
            if (!key.equals("terms") && !key.equals("doNotTranslate")) {
                throw new IllegalArgumentException("unknown glossary field '" + key + "'; a glossary has terms and doNotTranslate");
            }
        }
        if (terms != null) {
            if (!(terms instanceof JsonArray list)) {
                throw new IllegalArgumentException("\"terms\" must be a list of {\"term\", \"translations\"}");
            }
            for (Object o : list) {
                if (!(o instanceof JsonObject t) || !(t.getValue("term") instanceof String term)) {
                    throw new IllegalArgumentException("each of \"terms\" is {\"term\": \"...\", \"translations\": {\"pt\": \"...\"}}");
                }
                Map<String, String> translations = new LinkedHashMap<>();
                Object tr = t.getValue("translations");
                if (tr != null && !(tr instanceof JsonObject)) {
                    throw new IllegalArgumentException("the translations of '" + term + "' must be an object of language: text");
                }
                if (tr instanceof JsonObject byLang) {
                    for (String lang : byLang.fieldNames()) {
                        String code = LanguageCodes.canonical(lang).orElseThrow(() -> new IllegalArgumentException(
                                "'" + lang + "' is not a language code (in the translations of '" + term + "')"));
                        if (!(byLang.getValue(lang) instanceof String text)) {
                            throw new IllegalArgumentException("the " + lang + " translation of '" + term + "' must be a string");
                        }
                        translations.put(code, text);
                    }
                }
                checkText("a glossary term", term);
                for (String text : translations.values()) {
                    checkText("the translation of '" + clip(term) + "'", text);
                }
                entries.add(new Glossary.Entry(term, translations));
            }
        }
        if (keep != null) {
            if (!(keep instanceof JsonArray list)) {
                throw new IllegalArgumentException("\"doNotTranslate\" must be a list of strings");
            }
            for (Object o : list) {
                if (!(o instanceof String term)) {
                    throw new IllegalArgumentException("\"doNotTranslate\" must be a list of strings");
                }
                checkText("a doNotTranslate term", term);
                entries.add(new Glossary.Entry(term, Map.of()));
            }
        }
        return new Glossary(entries);
    }

    /** Terms and translations are read by people: no invisible or control characters (lengths: {@link Glossary}). */
    private static void checkText(String what, String text) {
        SafeText.problem(what, text).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    private static String clip(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "..." : s;
    }

    /** A glossary as the store keeps it (written by {@link #toJson}, so already checked). */
    public static Glossary fromStored(String json) {
        return parse(new JsonObject(json));
    }

    public static JsonObject toJson(Glossary g) {
        JsonArray terms = new JsonArray();
        JsonArray keep = new JsonArray();
        for (Glossary.Entry e : g.entries()) {
            if (e.translations().isEmpty()) {
                keep.add(e.term());
            } else {
                terms.add(new JsonObject().put("term", e.term()).put("translations", new JsonObject(new LinkedHashMap<>(e.translations()))));
            }
        }
        return new JsonObject().put("terms", terms).put("doNotTranslate", keep);
    }
}
