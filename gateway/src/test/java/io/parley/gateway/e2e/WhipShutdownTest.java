package io.parley.gateway.e2e;

import io.parley.testkit.GatewayProcess;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;
import io.parley.testkit.TempFolders;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a gateway process while WHIP speakers are mid-utterance and libwebrtc is still
 * delivering their audio: the process must stop as a stop, not a crash (no SIGSEGV in libwebrtc,
 * no abort on audio reaching a finished recognizer session), each speaker's words so far must
 * end in a final that viewers receive, and no JVM crash log may appear anywhere.
 */
class WhipShutdownTest {

    static final int SPEAKERS = 2;

    @Test
    void aGatewayStoppedUnderLiveWhipSessionsExitsCleanlyWithEveryFinal() throws Exception {
        Path data = TempFolders.create("parley-whip-stop-data-");
        Path workingDir = TempFolders.create("parley-whip-stop-cwd-");
        EvaluationSet.Clip clip = EvaluationSet.locate().clips().stream()
                .filter(c -> c.name().startsWith("librivox")).findFirst().orElseThrow();
        short[] pcm = WhipIngestTest.pcm(WavFile.read(clip.wav()));
        short[] partOfAnUtterance = java.util.Arrays.copyOf(pcm, pcm.length * 2 / 3);
        ExecutorService senders = Executors.newFixedThreadPool(SPEAKERS);
        List<WhipClient> clients = new ArrayList<>();
        try (GatewayProcess g = GatewayProcess.start(List.of("--data", data.toString(), "--asr", "sphinx",
                "--mt-model", "none", "--max-streams", "4"), workingDir)) {
            JsonObject room = g.createRoom(null);
            String id = room.getString("room");
            SocketClient viewer = SocketClient.connect(g.ws("/v1/rooms/" + id + "/captions"), room.getString("viewerToken"));
            List<Future<?>> sending = new ArrayList<>();
            for (int i = 0; i < SPEAKERS; i++) {
                WhipClient client = WhipClient.create(room.getString("speakerToken"));
                clients.add(client);
                assertEquals(201, client.publish(g.http("/v1/rooms/" + id + "/whip"), "en", "Speaker" + i).statusCode());
                sending.add(senders.submit(() -> {
                    client.sendSilence(0.3);
                    client.send(partOfAnUtterance);
                    // Still streaming (silence) when the signal comes, so audio is in flight through libwebrtc.
                    client.sendSilence(30);
                    return null;
                }));
            }
            // Stop once both are mid-utterance: the clip's first two thirds have been sent.
            Thread.sleep(300 + partOfAnUtterance.length * 1000L / WhipClient.RATE);
            g.terminate();

            OptionalInt exit = g.awaitExit(Duration.ofSeconds(90));
            String output = g.output();
            assertTrue(exit.isPresent(), "the gateway stopped within its bound:\n" + output);
            // A stop by SIGTERM ends with 143 (128 + 15) once the shutdown hook has finished; a crash is 134.
            assertEquals(143, exit.getAsInt(), "a normal exit, not a crash:\n" + output);
            assertTrue(output.contains("parley: stopped"), output);
            assertFalse(output.contains("A fatal error has been detected") || output.contains("SIGSEGV"), output);

            // Each speaker's words so far ended in a final that the viewer received before the close.
            for (int i = 0; i < SPEAKERS; i++) {
                String name = "Speaker" + i;
                assertTrue(viewer.finals().stream().anyMatch(f -> name.equals(f.getString("speaker"))
                        && !f.getString("text").isBlank()), name + "'s utterance ended in a final: " + viewer.messages);
            }
            assertEquals("server_shutdown", viewer.await(j -> "closing".equals(j.getString("type")), 10_000).getString("code"));
        } finally {
            senders.shutdownNow();
            clients.forEach(WhipClient::close);
        }
        assertEquals(List.of(), crashLogs(workingDir), "no crash log in the working folder");
        assertEquals(List.of(), crashLogs(data), "no crash log in the data folder");
    }

    static List<Path> crashLogs(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
    }
}
