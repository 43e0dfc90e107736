package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.gateway.store.TranscriptStore;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The privacy promise on the real gateway and store: a room's transcript goes when the room
 * closes (by DELETE or by idling out), unless the room was made with a retention, which then
 * keeps each final exactly that long.
 */
class RetentionTest {

    static TestGateway gw;
    static final String KEY = "retention-test-api-key-0123";

    @BeforeAll
    static void gateway() throws Exception {
        gw = TestGateway.shared().withConfig(TestGateway.shared().config.withApiKey(KEY));
    }

    @AfterAll
    static void stop() {
        gw.server.close();
    }

    JsonObject room(String body) throws Exception {
        HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms")))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /** One sentence spoken into the room, and its final read back in Spanish (so both streams are stored). */
    void speak(JsonObject room) throws Exception {
        String id = room.getString("room");
        SocketClient es = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions?lang=es"), room.getString("viewerToken"));
        Speaker speaker = Speaker.start(gw, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        speaker.sendClip(WavFile.read(EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0930.wav").wav()));
        speaker.sendSilence(1.0, 16000);
        speaker.stop();
        es.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final") && !j.getString("text").isBlank(), 30_000);
        es.close();
    }

    long stored(String id) {
        return gw.server.store().streams(id).join().values().stream().mapToLong(TranscriptStore.StreamState::count).sum();
    }

    @Test
    void byDefaultTheTranscriptGoesWithTheRoom() throws Exception {
        JsonObject room = room("");
        speak(room);
        String id = room.getString("room");
        assertTrue(stored(id) >= 2, "as spoken and in Spanish");
        HttpResponse<String> closed = gw.http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms/" + id)))
                .header("Authorization", "Bearer " + room.getString("speakerToken")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, closed.statusCode(), closed.body());
        assertFalse(new JsonObject(closed.body()).getBoolean("transcriptKept"));
        assertEquals(0, stored(id), "every final, in every language, deleted");
        assertFalse(gw.server.store().find(id).join().orElseThrow().open(), "the id stays, closed, with no text");
    }

    @Test
    void anIdleRoomClosesAndItsTranscriptGoes() throws Exception {
        JsonObject room = room("");
        speak(room);
        String id = room.getString("room");
        Thread.sleep(1100);
        // The periodic care of the rooms, as it runs every minute, with a short idle time.
        gw.server.rooms().sweep(Duration.ofSeconds(1), gw.config.security().maxTokenLifetime()).join();
        assertEquals(0, stored(id));
        assertEquals(410, gw.get("/v1/rooms/" + id, room.getString("viewerToken")).statusCode());
    }

    @Test
    void aRoomConnectedToIsNotIdle() throws Exception {
        JsonObject room = room("");
        String id = room.getString("room");
        Speaker speaker = Speaker.start(gw, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        Thread.sleep(1100);
        gw.server.rooms().sweep(Duration.ofSeconds(1), gw.config.security().maxTokenLifetime()).join();
        assertEquals(200, gw.get("/v1/rooms/" + id, room.getString("viewerToken")).statusCode(), "a speaker is connected");
        speaker.stop();
    }

    @Test
    void aRetentionKeepsEachFinalThatLongAndNoLonger() throws Exception {
        JsonObject room = room("{\"retention\":\"1h\"}");
        assertEquals("1h", room.getString("retention"));
        speak(room);
        String id = room.getString("room");
        HttpResponse<String> closed = gw.http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms/" + id)))
                .header("Authorization", "Bearer " + KEY).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(new JsonObject(closed.body()).getBoolean("transcriptKept"), closed.body());
        long kept = stored(id);
        assertTrue(kept >= 2);
        // An hour later (the store's purge, told the time), they are gone.
        gw.server.store().purge(Instant.now().plus(Duration.ofMinutes(59)), Instant.EPOCH).join();
        assertEquals(kept, stored(id), "not an hour old yet");
        gw.server.store().purge(Instant.now().plus(Duration.ofMinutes(61)), Instant.EPOCH).join();
        assertEquals(0, stored(id));
    }
}
