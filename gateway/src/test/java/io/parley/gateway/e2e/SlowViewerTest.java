package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A viewer that stops reading must not hold up the room or grow the server's memory without
 * bound: it is disconnected with {@code slow_viewer} (4008), and on reconnecting with
 * {@code since} it receives every final it missed. Tiny queue limits make it happen quickly.
 */
class SlowViewerTest {

    @Test
    void aViewerThatStopsReadingIsDisconnectedAndCatchesUpWithSince() throws Exception {
        TestGateway small = TestGateway.shared().withLimits(
                TestGateway.shared().config.limits().withViewerQueues(128, 512, 4096));
        JsonObject room = small.createRoom();
        String captions = "/v1/rooms/" + room.getString("room") + "/captions";

        // The slow viewer: a Vert.x client paused right after connecting, so that nothing is read
        // and the server's writes back up (a real client's stall, not a mock).
        Vertx clientVertx = Vertx.vertx();
        WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(2048));
        CompletableFuture<Short> slowClosed = new CompletableFuture<>();
        WebSocket slow = client.connect(new WebSocketConnectOptions().setPort(small.port()).setHost("127.0.0.1")
                        .setURI(captions + "?token=" + room.getString("viewerToken")))
                .await(10, TimeUnit.SECONDS);
        slow.closeHandler(v -> slowClosed.complete(slow.closeStatusCode()));
        slow.pause();

        SocketClient healthy = SocketClient.connect(small.ws(captions), room.getString("viewerToken"));
        Speaker speaker = Speaker.start(small, room.getString("room"), room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        for (String name : List.of("librivox_sense_and_sensibility_01_austen_64kb-0870.wav",
                "librivox_sense_and_sensibility_01_austen_64kb-0920.wav",
                "librivox_sense_and_sensibility_01_austen_64kb-0890.wav")) {
            speaker.sendClip(WavFile.read(EvaluationSet.locate().clip(name).wav()));
            speaker.sendSilence(1.0, 16000);
        }
        speaker.stop();
        // Resuming the stalled client lets it read what was buffered, then the close.
        slow.resume();
        assertEquals((short) 4008, slowClosed.get(30, TimeUnit.SECONDS), "disconnected as a slow viewer");

        // The healthy viewer got everything, and so does the slow one when it comes back with since.
        List<JsonObject> all = healthy.finals().stream().filter(f -> !f.getString("text").isBlank()).toList();
        assertTrue(all.size() >= 2, "finals: " + all);
        SocketClient back = SocketClient.connect(small.ws(captions + "?since=0"), room.getString("viewerToken"));
        back.await(j -> back.finals().size() >= all.size(), 10_000);
        assertEquals(all.stream().map(f -> f.getString("text")).toList(),
                back.finals().stream().map(f -> f.getString("text")).toList());
        assertTrue(small.server.metrics().render().contains("parley_slow_viewers_disconnected_total 1"));
        clientVertx.close();
        small.server.close();
    }
}
