package io.parley.gateway.fleet;

import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.room.Caption;
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
        volatile java.util.function.Consumer<JsonObject> onOpen = body -> { };

        FakeWorker(String node) throws Exception {
            this.node = node;
            vertx.eventBus().<JsonObject>consumer(FleetAddresses.speakerOpen(node), m -> {
                opened.add(m.body());
                m.reply(new JsonObject().put("ok", true).put("engine", "fake"));
                onOpen.accept(m.body());
            }).completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            vertx.eventBus().<Buffer>consumer(FleetAddresses.speakerAudio(node), m -> audio.add(AudioFrame.decode(m.body())))
                    .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        /**
         * What HostedSpeakers does when its node shuts down: "move", then the aborted session's
         * "end"; with {@code finalInFlight}, a final its session made as it was told to stop
         * reaches the edge between the two (the echo and the request go out on different threads).
         */
        void shutsDown(String stream, int generation, Caption finalInFlight) {
            String events = FleetAddresses.speakerEvents(stream);
            vertx.eventBus().send(events, new JsonObject().put("type", "move").put("generation", generation));
            if (finalInFlight != null) {
                vertx.eventBus().send(events, new JsonObject().put("type", "caption").put("generation", generation)
                        .put("caption", CaptionJson.toStored(finalInFlight)));
            }
            vertx.eventBus().send(events, new JsonObject().put("type", "end").put("generation", generation));
        }
    }

    private final Map<String, FakeWorker> workers = new ConcurrentHashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<RecognizerException> failed = new AtomicReference<>();
    private final List<Caption> echoed = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EdgeSpeaker speakerOnTwoWorkers() throws Exception {
        FleetNodes nodes = FleetNodesTest.edgeSeeing(vertx, FleetNodesTest.worker("a", 0, 0),
                FleetNodesTest.worker("b", 0, 0));
        for (String n : List.of("a", "b")) {
            workers.put(n, new FakeWorker(n));
        }
        EdgeSpeaker speaker = new EdgeSpeaker(vertx, new RoomHosts(vertx, nodes), nodes, blocking, "room", "en", List.of(),
                "Ana", echoed::add, "stream-1", 0, failed::set, () -> ended.set(true),
                (code, message, closeCode, retryAfterMs) -> { }, () -> { });
        speaker.open();
        return speaker;
    }

    /** The speaker, the worker it was placed on first and that placement's generation, once it has heard {@code samples}. */
    private record Placed(EdgeSpeaker speaker, FakeWorker first, int generation) {
    }

    private Placed speakerHeardBy(int samples) throws Exception {
        EdgeSpeaker speaker = speakerOnTwoWorkers();
        FakeWorker first = workers.values().stream().filter(w -> !w.opened.isEmpty()).findFirst().orElseThrow();
        int generation = first.opened.take().getInteger("generation");
        speaker.accept(new float[samples], 0, samples);
        assertNotNull(first.audio.poll(5, TimeUnit.SECONDS), "the first worker hears the speaker");
        return new Placed(speaker, first, generation);
    }

    private FakeWorker other(FakeWorker w) {
        return workers.get(w.node.equals("a") ? "b" : "a");
    }

    static Caption finalOf(String text, double start, double end) {
        return new Caption(0, 0, true, "en", text, start, end, 0, "Ana", List.of(), null, List.of(), false);
    }

    @Test
    void theOldWorkersEndAfterAMoveDoesNotEndTheSpeakerWhoseStreamMovesOn() throws Exception {
        Placed p = speakerHeardBy(1600);

        p.first().shutsDown("stream-1", p.generation(), null);

        FakeWorker second = other(p.first());
        JsonObject secondOpen = second.opened.poll(10, TimeUnit.SECONDS);
        assertNotNull(secondOpen, "the stream is placed on the other worker");
        assertNotEquals(p.generation(), secondOpen.getInteger("generation"));
        AudioFrame again = second.audio.poll(5, TimeUnit.SECONDS);
        assertNotNull(again, "the audio since the last final is given to the new worker");
        assertEquals(1600, again.samples().length);
        assertFalse(ended.get(), "the old worker's end of its placement ended the speaker");
        assertNull(failed.get());
        p.speaker().accept(new float[320], 0, 320);
        assertEquals(320, second.audio.poll(5, TimeUnit.SECONDS).samples().length, "new audio goes to the new worker");
    }

    @Test
    void aFinalTheOldWorkerMadeAsItWasToldToStopStillReachesTheSpeaker() throws Exception {
        Placed p = speakerHeardBy(16000);

        p.first().shutsDown("stream-1", p.generation(), finalOf("hello there", 0.1, 0.6));

        assertNotNull(other(p.first()).opened.poll(10, TimeUnit.SECONDS), "the stream is placed on the other worker");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (echoed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("hello there"), echoed.stream().map(Caption::text).toList(),
                "the old placement's last final is the speaker's too");
        assertFalse(ended.get());
        assertNull(failed.get());
    }

    @Test
    void aWorkerThatGoesAsTheStreamIsPlacedOnItIsLeftToo() throws Exception {
        Placed p = speakerHeardBy(1600);
        FakeWorker second = other(p.first());
        // The second worker shuts down the moment it takes the stream: its "move" and "end" may
        // reach the edge before or after its answer does; either way the stream moves on.
        second.onOpen = body -> second.shutsDown("stream-1", body.getInteger("generation"), null);

        p.first().shutsDown("stream-1", p.generation(), null);

        assertNotNull(second.opened.poll(10, TimeUnit.SECONDS), "placed on the second worker");
        JsonObject third = p.first().opened.poll(20, TimeUnit.SECONDS);
        assertNotNull(third, "moved on again, to the only worker left");
        assertFalse(ended.get(), "the speaker's stream ended with its workers' placements");
        assertNull(failed.get());
    }
}
