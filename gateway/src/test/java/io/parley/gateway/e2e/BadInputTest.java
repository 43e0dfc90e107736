package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on the real gateway: each case gets a JSON error with a stable code (or a clean
 * close), the server stays up, and nothing that was accepted before is lost.
 */
class BadInputTest {

    static TestGateway gw;
    JsonObject room;

    @BeforeAll
    static void gateway() throws Exception {
        gw = TestGateway.shared();
    }

    @BeforeEach
    void newRoom() throws Exception {
        room = gw.createRoom();
    }

    @AfterEach
    void serverStillUp() throws Exception {
        assertTrue(gw.healthy(), "the server is still up");
    }

    private SocketClient speakerSocket() throws Exception {
        return SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/speak"), room.getString("speakerToken"));
    }

    private static String start(String format, int rate, String language) {
        return new JsonObject().put("type", "start").put("format", format).put("sampleRate", rate)
                .put("channels", 1).put("language", language).put("speaker", "Tester").encode();
    }

    @Test
    void audioBeforeStartIsRefusedAndTheSocketStaysUsable() throws Exception {
        SocketClient s = speakerSocket();
        s.sendBinary(new byte[3200]);
        s.awaitError("audio_before_start");
        s.sendText(start("pcm_s16le", 16000, "en"));
        s.await(j -> "ready".equals(j.getString("type")), 10_000);
        s.close();
    }

    @Test
    void unknownFormatRateAndLanguageAreRefused() throws Exception {
        SocketClient s = speakerSocket();
        s.sendText(start("mp3", 16000, "en"));
        s.awaitError("unknown_format");
        s.sendText(start("pcm_s16le", 12345, "en"));
        s.awaitError("unsupported_sample_rate");
        s.sendText(start("pcm_s16le", 16000, "xx"));
        s.awaitError("unsupported_language");
        s.sendText("{\"type\":\"start\"}");
        s.awaitError("invalid_request");
        // The languages to expect: a list of codes, ten at most.
        s.sendText("{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":16000,\"language\":\"auto\","
                + "\"languages\":\"en,pt\"}");
        s.awaitError("invalid_request");
        s.sendText("{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":16000,\"language\":\"auto\","
                + "\"languages\":[\"en\",\"de\",\"fr\",\"es\",\"it\",\"pt\",\"nl\",\"pl\",\"sv\",\"da\",\"fi\"]}");
        s.awaitError("invalid_request");
        // Still usable after all of that.
        s.sendText(start("pcm_s16le", 16000, "en"));
        s.await(j -> "ready".equals(j.getString("type")), 10_000);
        s.sendText(start("pcm_s16le", 16000, "en"));
        s.awaitError("already_started");
        s.close();
    }

    @Test
    void namesAndTermsThatDisguiseThemselvesAreRefused() throws Exception {
        SocketClient s = speakerSocket();
        // U+202E turns the rest of a name around on screen ("Trojan Source"); U+2066 isolates; U+0007 rings.
        for (String name : new String[]{"Ana\u202Enimda", "\u2066Boss\u2069", "Bell\u0007", "Zero\u200Bwidth", "line\u2028break"}) {
            int errors = s.ofType("error").size();
            s.sendText(new JsonObject().put("type", "start").put("format", "pcm_s16le").put("sampleRate", 16000)
                    .put("channels", 1).put("language", "en").put("speaker", name).encode());
            s.await(j -> s.ofType("error").size() > errors, 5000);
            assertEquals("invalid_request", s.ofType("error").getLast().getString("code"), name);
        }
        // Joiners that scripts and emoji need are kept.
        s.sendText(start("pcm_s16le", 16000, "en").replace("Tester", "Mehr\u200Cdad \uD83D\uDC69\u200D\uD83D\uDCBB"));
        JsonObject ready = s.await(j -> "ready".equals(j.getString("type")), 10_000);
        assertTrue(ready != null);
        s.close();

        String glossary = "/v1/rooms/" + room.getString("room") + "/glossary";
        for (String term : new String[]{"Acme\u202E", "\u2067x", "tab\there"}) {
            HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(URI.create(gw.http(glossary)))
                    .header("Authorization", "Bearer " + room.getString("speakerToken"))
                    .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("doNotTranslate", java.util.List.of(term)).encode()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("invalid_request", new JsonObject(r.body()).getString("code"));
        }
    }

    @Test
    void brokenJsonAndUnknownMessagesAreRefused() throws Exception {
        SocketClient s = speakerSocket();
        s.sendText("{\"type\": \"start\", ");
        s.awaitError("bad_json");
        s.sendText("[1,2,3]");
        s.await(j -> "error".equals(j.getString("type")) && s.ofType("error").size() >= 2, 5000);
        s.sendText("{\"type\":\"dance\"}");
        s.awaitError("unknown_message");
        s.close();

        SocketClient viewer = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions"),
                room.getString("viewerToken"));
        viewer.sendText("not json");
        viewer.awaitError("bad_json");
        viewer.close();

        HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms")))
                .POST(HttpRequest.BodyPublishers.ofString("{oops")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("bad_json", new JsonObject(r.body()).getString("code"));
    }

    @Test
    void anOversizedFrameIsRefusedWithoutLosingTheStream() throws Exception {
        SocketClient s = speakerSocket();
        s.sendText(start("pcm_s16le", 16000, "en"));
        s.await(j -> "ready".equals(j.getString("type")), 10_000);
        s.sendBinary(new byte[gw.config.limits().maxAudioFrameBytes() + 2]);
        s.awaitError("frame_too_large");
        s.sendText("{\"type\":\"keepalive\",\"pad\":\"" + "x".repeat(gw.config.limits().maxTextFrameBytes()) + "\"}");
        s.await(j -> s.ofType("error").stream().filter(e -> "frame_too_large".equals(e.getString("code"))).count() >= 2, 5000);
        s.sendBinary(new byte[3200]); // an ordinary frame is still taken
        s.sendText("{\"type\":\"stop\"}");
        s.await(j -> "stopped".equals(j.getString("type")), 30_000);
        assertEquals(1, s.ofType("error").stream().filter(e -> "frame_too_large".equals(e.getString("code"))
                && e.getString("message").contains("audio")).count());

        // Beyond the WebSocket's own limit the frame is not even read: the server closes with 1009
        // as soon as the frame's head announces it. A client written out by hand sends only that
        // head, so that nothing it still writes can race the close (a polite client sending the
        // whole megabyte may see its connection reset before it reads the close frame).
        try (RawWebSocket huge = RawWebSocket.connect(gw.port(), "/v1/rooms/" + room.getString("room") + "/speak?token="
                + room.getString("speakerToken"))) {
            huge.sendFrameHead(2, gw.config.limits().maxWebSocketFrameBytes() + 1024L);
            assertEquals(1009, huge.awaitClose(20_000));
        }
    }

    @Test
    void wrongRoomOrTokenGetsAnErrorAndAClose() throws Exception {
        // A token opens its own room only (tokens name their room): elsewhere it is forbidden.
        SocketClient noRoom = SocketClient.connect(gw.ws("/v1/rooms/nosuchroom/speak"), room.getString("speakerToken"));
        assertEquals("forbidden", noRoom.awaitError("forbidden").getString("code"));
        assertEquals(4403, noRoom.awaitClose());

        SocketClient noToken = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions"), null);
        noToken.awaitError("unauthorized");
        assertEquals(4401, noToken.awaitClose());

        SocketClient viewerSpeaks = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/speak"),
                room.getString("viewerToken"));
        viewerSpeaks.awaitError("forbidden");
        assertEquals(4403, viewerSpeaks.awaitClose());

        JsonObject other = gw.createRoom();
        SocketClient otherRoomsToken = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions"),
                other.getString("viewerToken"));
        otherRoomsToken.awaitError("forbidden");

        // The same over HTTP, where the status code carries it too.
        assertEquals(403, gw.get("/v1/rooms/nosuchroom/transcript", room.getString("viewerToken")).statusCode());
        assertEquals(401, gw.get("/v1/rooms/" + room.getString("room"), null).statusCode());
        HttpResponse<String> wrong = gw.get("/v1/rooms/" + room.getString("room"), other.getString("speakerToken"));
        assertEquals(403, wrong.statusCode());
        assertEquals("forbidden", new JsonObject(wrong.body()).getString("code"));
        // The subprotocol and query forms browsers use are accepted.
        SocketClient byQuery = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions?token="
                + room.getString("viewerToken")), null);
        byQuery.await(j -> "ready".equals(j.getString("type")), 5000);
        byQuery.close();
    }

    @Test
    void withAnApiKeyOnlyItsHolderMayCreateRooms() throws Exception {
        String key = "k-" + "0123456789abcdef";
        TestGateway locked = gw.withConfig(gw.config.withApiKey(key));
        try {
            HttpResponse<String> anonymous = locked.http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/rooms")))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertEquals("unauthorized", new JsonObject(anonymous.body()).getString("code"));
            HttpResponse<String> holder = locked.http.send(HttpRequest.newBuilder(URI.create(locked.http("/v1/rooms")))
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, holder.statusCode());
        } finally {
            locked.server.close();
        }
    }

    @Test
    void anUnknownViewerLanguageIsRefused() throws Exception {
        SocketClient v = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions?lang=tlh"),
                room.getString("viewerToken"));
        v.awaitError("unsupported_language");
        assertEquals(4400, v.awaitClose());
        assertEquals(400, gw.get("/v1/rooms/" + room.getString("room") + "/transcript?lang=tlh",
                room.getString("viewerToken")).statusCode());
        assertEquals("unknown_export_format", new JsonObject(gw.get("/v1/rooms/" + room.getString("room")
                + "/transcript?format=docx", room.getString("viewerToken")).body()).getString("code"));
    }

    @Test
    void aSpeakerThatDisconnectsMidUtteranceLosesNothingItSent() throws Exception {
        SocketClient viewer = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions"),
                room.getString("viewerToken"));
        Speaker speaker = Speaker.start(gw, room.getString("room"), room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        WavFile wav = WavFile.read(EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0870.wav").wav());
        byte[] firstHalf = new byte[wav.pcm().length / 2 & ~1];
        System.arraycopy(wav.pcm(), 0, firstHalf, 0, firstHalf.length);
        speaker.sendPcm(firstHalf, 16000);       // mid-sentence, no pause yet
        speaker.client().abort();                // the connection drops without a close handshake
        JsonObject fin = viewer.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final")
                && !j.getString("text").isBlank(), 30_000);
        assertTrue(fin.getString("text").split(" ").length >= 4, "the words before the cut: " + fin.getString("text"));
        assertTrue(fin.getString("text").contains("dashwood"), fin.getString("text"));
        // And it is in the journal, for anyone who comes later.
        String transcript = gw.get("/v1/rooms/" + room.getString("room") + "/transcript?format=json",
                room.getString("viewerToken")).body();
        assertTrue(transcript.contains(fin.getString("text")));
    }

    @Test
    void audioFloodingFasterThanRealTimeIsRefusedBeyondTheBurst() throws Exception {
        SocketClient s = speakerSocket();
        s.sendText(start("pcm_s16le", 16000, "en"));
        s.await(j -> "ready".equals(j.getString("type")), 10_000);
        byte[] second = new byte[32000];
        double burst = gw.config.limits().audioBurstSeconds();
        for (int i = 0; i < burst + 8; i++) {
            s.sendBinary(second); // far faster than real time
        }
        s.awaitError("rate_limited");
        s.sendText("{\"type\":\"stop\"}");
        s.await(j -> "stopped".equals(j.getString("type")), 60_000);
        // Frames beyond the limit were not used, the others were, and the server kept going.
        assertFalse(s.ofType("error").isEmpty());
    }
}
