package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text API and rooms' glossaries on the real engines: neural English↔Portuguese, Apertium
 * for the rest, the best route for each pair, unknown words flagged, and glossary terms kept or
 * translated as told — in text and in live captions.
 */
class TranslateApiTest {

    static TestGateway gw;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.shared();
    }

    static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.http(path))).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject translate(JsonObject request) throws Exception {
        return translate(request, null);
    }

    static JsonObject translate(JsonObject request, String token) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/translate", request.encode(), token);
        assertEquals(200, r.statusCode(), r::body);
        return new JsonObject(r.body());
    }

    @Test
    void anAgentTypesEnglishAndTheCustomerReadsPortuguese() throws Exception {
        JsonObject r = translate(new JsonObject().put("text", "Thank you for waiting. Your order has shipped.")
                .put("from", "en").put("to", "pt"));
        assertEquals(new JsonArray().add("en").add("pt"), r.getJsonArray("route"));
        assertEquals(new JsonArray().add("marian"), r.getJsonArray("engines"));
        assertTrue(r.getString("text").contains("Obrigad"), r.encode());
        assertEquals(2, r.getString("text").split("[.!?]").length, "both sentences: " + r.getString("text"));
    }

    /** The entry of {@code GET /v1/languages} for one pair. */
    static JsonObject languagesEntry(String from, String to) throws Exception {
        JsonObject languages = new JsonObject(send("GET", "/v1/languages", "", null).body());
        return languages.getJsonArray("translation").stream().map(o -> (JsonObject) o)
                .filter(t -> t.getString("from").equals(from) && t.getString("to").equals(to)).findFirst().orElseThrow();
    }

    @Test
    void eachPairTakesTheRouteTheLanguagesListShowsWithItsScore() throws Exception {
        JsonObject en = translate(new JsonObject().put("texts", new JsonArray().add("Necesito ayuda con mi cuenta.")
                .add("Gracias.")).put("from", "es").put("to", "en"));
        JsonObject listed = languagesEntry("es", "en");
        assertEquals(listed.getJsonArray("route"), en.getJsonArray("route"));
        assertEquals(listed.getJsonArray("engines"), en.getJsonArray("engines"));
        assertEquals(listed.getJsonArray("steps"), en.getJsonArray("steps"));
        // Spanish has dev sentences: its routes are measured, and the chosen one is the best of them.
        JsonObject score = en.getJsonObject("score");
        assertTrue(score != null && score.getDouble("chrF") > 0, en.encode());
        assertTrue(listed.getString("why").startsWith("measured best"), listed.getString("why"));
        for (Object alternative : listed.getJsonArray("alternatives")) {
            JsonObject a = ((JsonObject) alternative).getJsonObject("score");
            assertTrue(a == null || a.getDouble("chrF") <= score.getDouble("chrF"), listed.encode());
        }
        assertEquals(2, en.getJsonArray("translations").size());
        assertTrue(en.getJsonArray("translations").getJsonObject(0).getString("text").toLowerCase().contains("help"));
        JsonObject pt = translate(new JsonObject().put("text", "Necesito ayuda con mi cuenta.").put("from", "es").put("to", "pt"));
        assertEquals(languagesEntry("es", "pt").getJsonArray("route"), pt.getJsonArray("route"));
        assertTrue(pt.getString("text").toLowerCase().contains("ajuda"), pt.encode());
    }

    @Test
    void unknownWordsAreFlaggedNotPrintedWithMarks() throws Exception {
        JsonObject r = translate(new JsonObject().put("text", "The flurbix is broken.").put("from", "en").put("to", "es"));
        assertFalse(r.getString("text").contains("*"), r.getString("text"));
        assertTrue(r.getString("text").contains("flurbix"), r.getString("text"));
        assertEquals(new JsonArray().add("flurbix"), r.getJsonArray("unknownWords"));
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertError(send("POST", "/v1/translate", "{not json", null), 400, "bad_json");
        assertError(send("POST", "/v1/translate", new JsonObject().put("from", "en").put("to", "pt").encode(), null),
                400, "invalid_request");
        assertError(send("POST", "/v1/translate", new JsonObject().put("text", "hi").put("from", "xx").put("to", "pt").encode(),
                null), 400, "unsupported_language");
        assertError(send("POST", "/v1/translate", new JsonObject().put("texts", new JsonArray(java.util.Collections.nCopies(65, "a")))
                .put("from", "en").put("to", "pt").encode(), null), 413, "frame_too_large");
        assertError(send("POST", "/v1/translate", new JsonObject().put("text", "hi").put("from", "en").put("to", "pt")
                .put("room", "nope").encode(), null), 401, "unauthorized");
        // A room named as null is no room: the API key is still asked for (a locked server's test below).
        assertError(send("POST", "/v1/translate", new JsonObject().put("text", "hi").put("from", "en").put("to", "pt")
                .putNull("room").encode(), null), 400, "invalid_request");
    }

    @Test
    void aGlossaryForcesTermsInBothEngines() throws Exception {
        JsonObject room = gw.createRoom();
        String id = room.getString("room");
        String text = "Please open a ticket in Parley.";
        JsonObject before = translate(new JsonObject().put("text", text).put("from", "en").put("to", "pt"));
        JsonObject beforeEs = translate(new JsonObject().put("text", text).put("from", "en").put("to", "es"));
        assertFalse(before.getString("text").contains("chamado"), "without the glossary: " + before.getString("text"));
        assertFalse(beforeEs.getString("text").contains("incidencia"), beforeEs.getString("text"));

        JsonObject glossary = new JsonObject()
                .put("terms", new JsonArray().add(new JsonObject().put("term", "ticket")
                        .put("translations", new JsonObject().put("pt", "chamado").put("es", "incidencia"))))
                .put("doNotTranslate", new JsonArray().add("Parley"));
        HttpResponse<String> put = send("PUT", "/v1/rooms/" + id + "/glossary", glossary.encode(), room.getString("speakerToken"));
        assertEquals(200, put.statusCode(), put::body);
        JsonObject read = new JsonObject(gw.get("/v1/rooms/" + id + "/glossary", room.getString("viewerToken")).body());
        assertEquals(glossary.getJsonArray("doNotTranslate"), read.getJsonArray("doNotTranslate"));

        String viewer = room.getString("viewerToken");
        JsonObject pt = translate(new JsonObject().put("text", text).put("from", "en").put("to", "pt").put("room", id), viewer);
        JsonObject es = translate(new JsonObject().put("text", text).put("from", "en").put("to", "es").put("room", id), viewer);
        assertTrue(pt.getString("text").contains("chamado") && pt.getString("text").contains("Parley"), pt.getString("text"));
        assertTrue(es.getString("text").contains("incidencia") && es.getString("text").contains("Parley"), es.getString("text"));
        assertFalse(es.getJsonArray("unknownWords").contains("Parley") || es.getString("text").contains("ZX"), es.encode());

        assertError(send("PUT", "/v1/rooms/" + id + "/glossary", glossary.encode(), room.getString("viewerToken")), 403, "forbidden");
        assertError(send("PUT", "/v1/rooms/" + id + "/glossary", "[1,2]", room.getString("speakerToken")), 400, "bad_json");
        assertError(send("PUT", "/v1/rooms/" + id + "/glossary", new JsonObject().put("words", 1).encode(),
                room.getString("speakerToken")), 400, "invalid_request");
    }

    @Test
    void aRoomsGlossaryAppliesToItsLiveCaptions() throws Exception {
        JsonObject room = gw.createRoom();
        String id = room.getString("room");
        JsonObject glossary = new JsonObject().put("terms", new JsonArray().add(new JsonObject().put("term", "leisure")
                .put("translations", new JsonObject().put("es", "TIEMPO LIBRE"))));
        assertEquals(200, send("PUT", "/v1/rooms/" + id + "/glossary", glossary.encode(), room.getString("speakerToken")).statusCode());
        SocketClient spanish = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions?lang=es"), room.getString("viewerToken"));
        Speaker speaker = Speaker.start(gw, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Reader");
        EvaluationSet.Clip clip = EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0870.wav");
        speaker.sendClip(WavFile.read(clip.wav()));
        speaker.sendSilence(1.0, 16000);
        speaker.stop();
        JsonObject fin = spanish.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final")
                && j.getJsonObject("source").getString("text").toLowerCase().contains("leisure"), 60_000);
        assertTrue(fin != null, "a final with the term");
        assertTrue(fin.getString("text").contains("TIEMPO LIBRE"), fin.encode());
        spanish.close();
    }

    @Test
    void withAnApiKeyTheKeyOrARoomsTokenIsNeeded() throws Exception {
        String key = "a-key-long-enough-1234";
        TestGateway locked = gw.withConfig(gw.config.withApiKey(key));
        JsonObject body = new JsonObject().put("text", "Good morning.").put("from", "en").put("to", "pt");
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/translate")))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertError(none, 401, "unauthorized");
        HttpResponse<String> keyed = http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/translate")))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, keyed.statusCode(), keyed::body);
        // The hostile finding: naming no room ("room": null, "room": "") must not skip the key.
        for (Object noRoom : new Object[]{null, "", "   "}) {
            HttpResponse<String> sneaky = http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/translate")))
                    .POST(HttpRequest.BodyPublishers.ofString(body.copy().put("room", noRoom).encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(sneaky.statusCode() == 400 || sneaky.statusCode() == 401, "room " + noRoom + ": " + sneaky.body());
            assertFalse(sneaky.body().contains("Bom dia"), sneaky.body());
        }
        // A room's own token does authorize a translation for that room.
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/rooms")))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject room = new JsonObject(created.body());
        HttpResponse<String> byRoom = http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/translate")))
                .header("Authorization", "Bearer " + room.getString("viewerToken"))
                .POST(HttpRequest.BodyPublishers.ofString(body.copy().put("room", room.getString("room")).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, byRoom.statusCode(), byRoom::body);
        locked.server.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals(code, new JsonObject(r.body()).getString("code"), r::body);
    }
}
