package io.parley.gateway.e2e;

import io.parley.testkit.GatewayProcess;
import io.parley.testkit.PostgresServer;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;
import io.parley.testkit.TempFolders;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A meeting survives its gateway: the gateway runs as its own process (as {@code ./parley run}
 * runs it, Sphinx4 and Apertium), is killed with {@code kill -9} mid-utterance, and started again
 * on the same data folder. The room and its tokens still work, a viewer with {@code since=0}
 * gets every final any viewer had before the kill, and the meeting carries on. Then the gateway
 * is stopped with SIGTERM mid-utterance: the utterance still ends in a final that viewers get,
 * they are told to come back ({@code closing}, 1001), and that final is there after the next start.
 * Once on the SQLite store in the data folder, once on PostgreSQL.
 */
class DurabilityTest {

    static final String FIRST = "librivox_sense_and_sensibility_01_austen_64kb-0870.wav";
    static final String SECOND = "librivox_sense_and_sensibility_01_austen_64kb-0880.wav";
    static final String THIRD = "librivox_sense_and_sensibility_01_austen_64kb-0890.wav";

    @Test
    void onSqliteAMeetingOutlivesKillAndStop() throws Exception {
        scenario(List.of());
    }

    @Test
    void onPostgresqlAMeetingOutlivesKillAndStop() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            scenario(List.of("--store", pg.uri()));
        }
    }

    record Seen(long seq, String text) {
    }

    static List<Seen> seen(SocketClient viewer) {
        return viewer.finals().stream().filter(f -> !f.getString("text").isBlank())
                .map(f -> new Seen(f.getLong("seq"), f.getString("text"))).toList();
    }

    static WavFile clip(String name) throws Exception {
        return WavFile.read(EvaluationSet.locate().clip(name).wav());
    }

    void scenario(List<String> storeArgs) throws Exception {
        Path data = TempFolders.create("parley-durability-");
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--asr", "sphinx", "--mt-model", "none",
                "--webrtc", "off"));
        args.addAll(storeArgs);

        // ---- a meeting, then kill -9 mid-utterance ----
        JsonObject room;
        List<Seen> originalBefore;
        List<Seen> spanishBefore;
        try (GatewayProcess a = GatewayProcess.start(args)) {
            room = a.createRoom(null);
            String id = room.getString("room");
            assertEquals(200, a.send("PUT", "/v1/rooms/" + id + "/glossary",
                    new JsonObject().put("doNotTranslate", List.of("Dashwood")).encode(), room.getString("speakerToken"))
                    .statusCode());
            SocketClient original = SocketClient.connect(a.ws("/v1/rooms/" + id + "/captions"), room.getString("viewerToken"));
            SocketClient spanish = SocketClient.connect(a.ws("/v1/rooms/" + id + "/captions?lang=es"), room.getString("viewerToken"));
            Speaker speaker = Speaker.start(a, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
            for (String name : List.of(FIRST, SECOND)) {
                speaker.sendClip(clip(name));
                speaker.sendSilence(1.0, 16000);
            }
            original.await(j -> seen(original).size() >= 2, 60_000);
            spanish.await(j -> seen(spanish).size() >= 2, 60_000);
            WavFile third = clip(THIRD);
            speaker.sendPcm(java.util.Arrays.copyOf(third.pcm(), third.pcm().length / 2 & ~1), 16000);
            a.kill9();
            originalBefore = seen(original);
            spanishBefore = seen(spanish);
        }
        assertTrue(originalBefore.size() >= 2 && spanishBefore.size() >= 2, originalBefore + " " + spanishBefore);

        // ---- started again on the same data: same room, same tokens, every final ----
        long lastSeq;
        try (GatewayProcess b = GatewayProcess.start(args)) {
            String id = room.getString("room");
            assertEquals(200, b.send("GET", "/v1/rooms/" + id, null, room.getString("viewerToken")).statusCode());
            assertTrue(b.send("GET", "/v1/rooms/" + id + "/glossary", null, room.getString("viewerToken")).body()
                    .contains("Dashwood"), "the glossary survived");
            SocketClient original = SocketClient.connect(b.ws("/v1/rooms/" + id + "/captions?since=0"), room.getString("viewerToken"));
            SocketClient spanish = SocketClient.connect(b.ws("/v1/rooms/" + id + "/captions?lang=es&since=0"),
                    room.getString("viewerToken"));
            original.await(j -> seen(original).containsAll(originalBefore), 30_000);
            spanish.await(j -> seen(spanish).containsAll(spanishBefore), 30_000);
            assertEquals(seen(original).stream().map(Seen::seq).sorted().toList(), seen(original).stream().map(Seen::seq).toList(),
                    "in order");
            lastSeq = originalBefore.getLast().seq();

            // The meeting carries on with the same speaker token.
            int before = seen(original).size();
            Speaker again = Speaker.start(b, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
            again.sendClip(clip(SECOND));
            again.sendSilence(1.0, 16000);
            original.await(j -> seen(original).size() > before, 60_000);
            Seen next = seen(original).getLast();
            assertTrue(next.seq() > lastSeq, "numbering continues: " + next + " after " + lastSeq);
            spanish.await(j -> seen(spanish).stream().anyMatch(s -> s.seq() == next.seq()), 30_000);

            // ---- SIGTERM mid-utterance: the utterance still ends in a final, viewers are told ----
            int beforeStop = seen(original).size();
            WavFile third = clip(THIRD);
            again.sendPcm(java.util.Arrays.copyOf(third.pcm(), third.pcm().length / 2 & ~1), 16000);
            b.terminate();
            JsonObject closing = original.await(j -> "closing".equals(j.getString("type")), 60_000);
            assertEquals("server_shutdown", closing.getString("code"));
            assertTrue(closing.getLong("retryAfterMs") > 0);
            assertEquals(1001, original.awaitClose());
            assertTrue(seen(original).size() > beforeStop, "the utterance under way got its final before the close: "
                    + seen(original));
            OptionalInt exit = b.awaitExit(Duration.ofSeconds(60));
            assertTrue(exit.isPresent(), "the gateway stopped within its bound:\n" + b.output());
            assertTrue(b.output().contains("parley: stopped"), "exit " + exit + ":\n" + b.output());
            lastSeq = seen(original).getLast().seq();
        }

        // ---- and that last final is there after the next start ----
        long stoppedAt = lastSeq;
        try (GatewayProcess c = GatewayProcess.start(args)) {
            SocketClient original = SocketClient.connect(c.ws("/v1/rooms/" + room.getString("room") + "/captions?since=0"),
                    room.getString("viewerToken"));
            original.await(j -> seen(original).stream().anyMatch(s -> s.seq() == stoppedAt), 30_000);
        }
    }
}
