package io.parley.gateway.protocol;

import io.parley.gateway.room.Caption;
import io.parley.speech.recognizer.RecognizedWord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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
        return o;
    }

    public static String encode(Caption c) {
        return toJson(c).encode();
    }

    /** Seconds and probabilities to the millisecond (or thousandth): enough, and short on the wire. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
