package io.parley.gateway.export;

import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.room.Caption;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A transcript as JSON: the finals exactly as viewers received them, each with the offset of
 * its speaker's stream from the room's start.
 */
public final class TranscriptJsonWriter {

    private TranscriptJsonWriter() {
    }

    public static String write(String room, String lang, List<Caption> finals) {
        JsonArray captions = new JsonArray();
        for (Caption c : finals) {
            captions.add(CaptionJson.toJson(c).put("offset", Math.round(c.streamOffset() * 1000) / 1000.0));
        }
        return new JsonObject().put("room", room).put("lang", lang).put("captions", captions).encodePrettily();
    }
}
