package io.parley.gateway.protocol;

import io.parley.gateway.room.Caption;
import io.parley.speech.recognizer.RecognizedWord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Captions in the v1 wire format (see DESIGN.md, "Viewer WebSocket"). */
public final class CaptionJson {

    private CaptionJson() {
    }

    public static JsonObject toJson(Caption c) {
        JsonObject o = new JsonObject()
                .put("type", "caption")
                .put("seq", c.seq())
                .put("segment", c.segment())
                .put("final", c.isFinal())
                .put("lang", c.lang())
                .put("text", c.text())
                .put("start", round(c.start()))
                .put("end", round(c.end()))
                .put("speaker", c.speaker());
        if (!c.words().isEmpty()) {
            JsonArray words = new JsonArray();
            for (RecognizedWord w : c.words()) {
                JsonObject wj = new JsonObject().put("w", w.word()).put("start", round(w.start())).put("end", round(w.end()));
                if (!Double.isNaN(w.confidence())) {
                    wj.put("conf", round(w.confidence()));
                }
                words.add(wj);
            }
            o.put("words", words);
        }
        if (c.source() != null) {
            o.put("source", new JsonObject().put("lang", c.source().lang()).put("text", c.source().text()));
        }
        if (!c.flagged().isEmpty()) {
            o.put("flagged", new JsonArray(c.flagged()));
        }
        if (c.untranslated()) {
            o.put("untranslated", true);
        }
        if (c.fromSpeech()) {
            o.put("via", "speech");
        }
        return o;
    }

    public static String encode(Caption c) {
        return toJson(c).encode();
    }

    /**
     * A final as the store keeps it: its wire form, plus the offset of its speaker's stream in the
     * room and the recognizer's English of it (which English captions made later still need).
     */
    public static String toStored(Caption c) {
        JsonObject o = toJson(c).put("offset", round(c.streamOffset()));
        if (c.speechEnglish() != null) {
            o.put("speechEnglish", c.speechEnglish());
        }
        return o.encode();
    }

    /** A final read back from the store: what {@link #toStored} wrote. */
    public static Caption fromStored(String stored) {
        JsonObject o = new JsonObject(stored);
        List<RecognizedWord> words = new ArrayList<>();
        JsonArray wordsJson = o.getJsonArray("words");
        if (wordsJson != null) {
            for (int i = 0; i < wordsJson.size(); i++) {
                JsonObject w = wordsJson.getJsonObject(i);
                words.add(new RecognizedWord(w.getString("w"), w.getDouble("start"), w.getDouble("end"),
                        w.getDouble("conf", Double.NaN)));
            }
        }
        JsonObject src = o.getJsonObject("source");
        JsonArray flagged = o.getJsonArray("flagged");
        return new Caption(o.getLong("seq"), o.getLong("segment"), o.getBoolean("final"), o.getString("lang"),
                o.getString("text"), o.getDouble("start"), o.getDouble("end"), o.getDouble("offset", 0.0),
                o.getString("speaker"), words, src == null ? null : new Caption.Source(src.getString("lang"), src.getString("text")),
                flagged == null ? List.of() : flagged.stream().map(String::valueOf).toList(),
                o.getBoolean("untranslated", false), o.getString("speechEnglish"), "speech".equals(o.getString("via")));
    }

    /** Seconds and probabilities to the millisecond (or thousandth): enough, and short on the wire. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
