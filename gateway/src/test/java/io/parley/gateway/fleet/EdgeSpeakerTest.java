package io.parley.gateway.fleet;

import io.parley.speech.recognizer.RecognizerException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * How an edge's speaker follows its stream from worker to worker, on a local (unclustered) event
 * bus with two fake workers that answer as HostedSpeakers does: a fake of the fleet for a fast,
 * deterministic unit test of the edge's ordering; FleetTest's rolling restart runs the real one.
 */
class EdgeSpeakerTest {

    private final Vertx vertx = Vertx.vertx();
    private final ExecutorService blocking = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        blocking.shutdownNow();
        vertx.close();
    }

    /** A worker that takes every stream and records what it is sent. */
    final class FakeWorker {
        final String node;
        final BlockingQueue<JsonObject> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<AudioFrame> audio = new LinkedBlockingQueue<>();

        FakeWorker(String node) throws Exception {
            this.node = node;
            vertx.eventBus().<JsonObject>consumer(FleetAddresses.speakerOpen(node), m -> {
                opened.add(m.body());
                m.reply(new JsonObject().put("ok", true).put("engine", "fake"));
            }).completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            vertx.eventBus().<Buffer>consumer(FleetAddresses.speakerAudio(node), m -> audio.add(AudioFrame.decode(m.body())))
                    .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        /** What HostedSpeakers does when its node shuts down: "move", then the aborted session's "end". */
        void shutsDown(String stream, int generation) {
            String events = FleetAddresses.speakerEvents(stream);
            vertx.eventBus().send(events, new JsonObject().put("type", "move").put("generation", generation));
            vertx.eventBus().send(events, new JsonObject().put("type", "end").put("generation", generation));
        }
    }

    @Test
    void theOldWorkersEndAfterAMoveDoesNotEndTheSpeakerWhoseStreamMovesOn() throws Exception {
        FleetNodes nodes = FleetNodesTest.edgeSeeing(vertx, FleetNodesTest.worker("a", 0, 0),
                FleetNodesTest.worker("b", 0, 0));
        Map<String, FakeWorker> workers = new ConcurrentHashMap<>();
        for (String n : List.of("a", "b")) {
            workers.put(n, new FakeWorker(n));
        }
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<RecognizerException> failed = new AtomicReference<>();
        EdgeSpeaker speaker = new EdgeSpeaker(vertx, new RoomHosts(vertx, nodes), nodes, blocking, "room", "en", List.of(),
                "Ana", caption -> { }, "stream-1", 0, failed::set, () -> ended.set(true),
                (code, message, closeCode, retryAfterMs) -> { }, () -> { });
        speaker.open();
        FakeWorker first = workers.values().stream().filter(w -> !w.opened.isEmpty()).findFirst().orElseThrow();
        JsonObject firstOpen = first.opened.take();
        speaker.accept(new float[1600], 0, 1600);
        assertNotNull(first.audio.poll(5, TimeUnit.SECONDS), "the first worker hears the speaker");

        first.shutsDown("stream-1", firstOpen.getInteger("generation"));

        FakeWorker second = workers.get(first.node.equals("a") ? "b" : "a");
        JsonObject secondOpen = second.opened.poll(10, TimeUnit.SECONDS);
        assertNotNull(secondOpen, "the stream is placed on the other worker");
        assertNotEquals(firstOpen.getInteger("generation"), secondOpen.getInteger("generation"));
        AudioFrame again = second.audio.poll(5, TimeUnit.SECONDS);
        assertNotNull(again, "the audio since the last final is given to the new worker");
        assertEquals(1600, again.samples().length);
        assertFalse(ended.get(), "the old worker's end of its placement ended the speaker");
        assertNull(failed.get());
        speaker.accept(new float[320], 0, 320);
        assertEquals(320, second.audio.poll(5, TimeUnit.SECONDS).samples().length, "new audio goes to the new worker");
    }
}
