package io.parley.gateway.fleet;

import io.parley.gateway.engines.Engines;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRegistry;
import io.parley.speech.recognizer.RecognizerException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A worker's side of the speakers placed on it: each runs here as a speaker of the room (its
 * recognizer session, its captions numbered, stored and translated by this node's copy of the
 * room) while its connection stays on the edge. Audio comes in {@link AudioFrame}s; captions go
 * back to the edge as its echo (the edge forgets its audio up to each final it gets, which is
 * stored by then), with the stream's end and errors.
 *
 * <p>When the edge is gone its streams here are finished (what was heard ends in finals). When
 * this node shuts down, its streams are not ended but handed back: the edge is told to move them
 * and the audio since their last final, which it still holds, is recognised elsewhere.
 */
final class HostedSpeakers {

    private static final Logger LOG = Logger.getLogger(HostedSpeakers.class.getName());

    /** One stream (one placement of it) run here, and when its audio last came. */
    private record Hosted(String key, String streamId, int generation, String room, String edge, SpeakerIngest ingest,
                          java.util.concurrent.atomic.AtomicLong lastAudioNanos) {
    }

    /**
     * A stream that gets no audio this long is finished: its edge gave up on it (an answer that
     * came too late, a move) without being able to say so. A live speaker sends audio, silence
     * included, all the time.
     */
    static final long SILENT_STREAM_NANOS = 60_000_000_000L;

    private final Vertx vertx;
    private final String self;
    private final RoomRegistry rooms;
    private final Engines engines;
    private final GatewayMetrics metrics;
    private final RoomHosts hosts;
    private final FleetAudience audience;
    private final Executor blocking;
    private final Map<String, Hosted> streams = new ConcurrentHashMap<>();
    private volatile boolean draining;

    HostedSpeakers(Vertx vertx, String self, RoomRegistry rooms, Engines engines, GatewayMetrics metrics, RoomHosts hosts,
                   FleetAudience audience, Executor blocking) {
        this.vertx = vertx;
        this.self = self;
        this.rooms = rooms;
        this.engines = engines;
        this.metrics = metrics;
        this.hosts = hosts;
        this.audience = audience;
        this.blocking = blocking;
    }

    void start(FleetNodes nodes) {
        vertx.eventBus().<JsonObject>consumer(FleetAddresses.speakerOpen(self), this::open);
        vertx.eventBus().<Buffer>consumer(FleetAddresses.speakerAudio(self), m -> audio(m.body()));
        vertx.eventBus().<JsonObject>consumer(FleetAddresses.speakerControl(self), m -> control(m.body()));
        nodes.onGone(this::edgeGone);
        vertx.setPeriodic(5000, id -> {
            long now = System.nanoTime();
            streams.values().stream().filter(h -> now - h.lastAudioNanos().get() > SILENT_STREAM_NANOS).forEach(h -> {
                LOG.info(() -> "fleet: stream " + h.streamId() + " has had no audio for a minute; finishing it");
                h.lastAudioNanos().set(now); // asked once
                h.ingest().session().finish();
            });
        });
        metrics.gauge("parley_fleet_hosted_streams", "Speaker streams run here for the fleet's edges.", streams::size);
    }

    int size() {
        return streams.size();
    }

    /** The expected languages an edge sent: strings only, as a client's request would be checked. */
    private static List<String> expectedOf(JsonObject request) throws IngestRefused {
        Object v = request.getValue("languages");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof io.vertx.core.json.JsonArray a) || a.size() > SpeakerIngest.MAX_EXPECTED
                || !a.stream().allMatch(String.class::isInstance)) {
            throw new IngestRefused(ErrorCodes.INVALID_REQUEST, "\"languages\" must be a list of at most "
                    + SpeakerIngest.MAX_EXPECTED + " language codes");
        }
        return a.stream().map(String.class::cast).toList();
    }

    private static String key(String streamId, int generation) {
        return streamId + "#" + generation;
    }

    /** Rooms whose speech runs here. */
    List<String> rooms() {
        return streams.values().stream().map(Hosted::room).distinct().sorted().toList();
    }

    private void open(Message<JsonObject> request) {
        JsonObject r = request.body();
        String streamId = r.getString("stream");
        String roomId = r.getString("room");
        String edge = r.getString("edge");
        int generation = r.getInteger("generation", 0);
        if (draining) {
            request.reply(refusal(ErrorCodes.SERVER_SHUTDOWN, "this worker is shutting down"));
            return;
        }
        blocking.execute(() -> {
            // One placement of a room at a time here: the first loads the room afresh, the others join it.
            synchronized (ROOM_LOCKS[Math.floorMod(roomId.hashCode(), ROOM_LOCKS.length)]) {
                openNow(request, r, streamId, roomId, edge, generation);
            }
        });
    }

    /** Striped: a room's placements here one at a time, with a bounded number of locks. */
    private static final Object[] ROOM_LOCKS = new Object[64];

    static {
        for (int i = 0; i < ROOM_LOCKS.length; i++) {
            ROOM_LOCKS[i] = new Object();
        }
    }

    private void openNow(Message<JsonObject> request, JsonObject r, String streamId, String roomId, String edge,
                         int generation) {
        {
            try {
                Optional<Room> room = rooms.openFresh(roomId).get(30, TimeUnit.SECONDS);
                if (room.isEmpty()) {
                    request.reply(refusal(ErrorCodes.ROOM_CLOSED, "the room '" + roomId + "' is closed or does not exist"));
                    return;
                }
                // What another node asks is checked like a client's request: this worker's engine may differ.
                String requested = r.getString("language", "");
                String language = SpeakerIngest.resolveLanguage(requested, engines.recognizer()).orElseThrow(() ->
                        new IngestRefused(ErrorCodes.UNSUPPORTED_LANGUAGE, "this worker's " + engines.recognizer().engine()
                                + " engine does not recognise '" + requested + "'"));
                List<String> expected = SpeakerIngest.resolveExpected(language, expectedOf(r), engines.recognizer());
                String key = key(streamId, generation);
                String events = FleetAddresses.speakerEvents(streamId);
                SpeakerIngest ingest = SpeakerIngest.openHere(room.get(), engines, metrics, language, expected,
                        r.getString("speaker"), new EdgeEcho(events, generation), streamId + "-g" + generation,
                        error -> send(events, generation, new JsonObject().put("type", "error").put("code", error.code())
                                .put("message", error.getMessage())),
                        () -> ended(key, events, generation),
                        (code, message, closeCode, retryAfterMs) -> asked(key, events, generation, code, message, closeCode,
                                retryAfterMs),
                        r.getDouble("startOffset", room.get().secondsSinceCreation()));
                streams.put(key, new Hosted(key, streamId, generation, roomId, edge, ingest,
                        new java.util.concurrent.atomic.AtomicLong(System.nanoTime())));
                audience.hosting(room.get());
                hosts.claim(roomId, self);
                request.reply(new JsonObject().put("ok", true).put("language", ingest.language())
                        .put("engine", engines.recognizer().engine()));
            } catch (IngestRefused e) {
                request.reply(refusal(e.code(), e.getMessage()));
            } catch (Exception e) {
                LOG.log(Level.WARNING, "fleet: could not open stream " + streamId + " of room " + roomId, e);
                request.reply(refusal(ErrorCodes.INTERNAL, "the worker could not open the stream: " + e.getMessage()));
            }
        }
    }

    private static JsonObject refusal(String code, String message) {
        return new JsonObject().put("ok", false).put("code", code).put("message", message);
    }

    private void audio(Buffer body) {
        AudioFrame frame;
        try {
            frame = AudioFrame.decode(body);
        } catch (IllegalArgumentException e) {
            return;
        }
        Hosted h = streams.get(key(frame.streamId(), frame.generation()));
        if (h == null) {
            return; // a stream that ended or moved: its late audio is not wanted
        }
        h.lastAudioNanos().set(System.nanoTime());
        try {
            h.ingest().session().accept(frame.samples(), 0, frame.samples().length);
        } catch (RecognizerException e) {
            send(FleetAddresses.speakerEvents(h.streamId()), h.generation(),
                    new JsonObject().put("type", "refused").put("code", e.code()).put("message", e.getMessage()));
        } catch (IllegalStateException ended) {
            // finished meanwhile
        }
    }

    private void control(JsonObject c) {
        Hosted h = streams.get(key(c.getString("stream", ""), c.getInteger("generation", -1)));
        if (h == null) {
            return;
        }
        switch (c.getString("op", "")) {
            case "finish" -> h.ingest().session().finish();
            case "abort" -> h.ingest().session().abort();
            default -> { }
        }
    }

    private void ended(String key, String events, int generation) {
        Hosted h = streams.remove(key);
        send(events, generation, new JsonObject().put("type", "end"));
        if (h != null && streams.values().stream().noneMatch(o -> o.room().equals(h.room()))) {
            audience.notHosting(h.room());
            hosts.release(h.room(), self);
        }
    }

    /**
     * The room asks the stream to end: the room closes (the edge ends the speaker's connection),
     * or this node shuts down (the edge moves the stream: what was heard since its last final is
     * recognised elsewhere, not here, so that it is not captioned twice).
     */
    private void asked(String key, String events, int generation, String code, String message, short closeCode,
                       long retryAfterMs) {
        Hosted h = streams.get(key);
        if (h == null) {
            return;
        }
        if (ErrorCodes.SERVER_SHUTDOWN.equals(code)) {
            send(events, generation, new JsonObject().put("type", "move"));
            h.ingest().session().abort();
        } else {
            send(events, generation, new JsonObject().put("type", "finish").put("code", code).put("message", message)
                    .put("closeCode", closeCode).put("retryAfterMs", retryAfterMs));
        }
    }

    /** An edge is gone: its speakers' connections went with it; what they said so far ends in finals. */
    private void edgeGone(String node) {
        Set<Hosted> orphans = streams.values().stream().filter(h -> h.edge().equals(node)).collect(Collectors.toSet());
        for (Hosted h : orphans) {
            LOG.info(() -> "fleet: the edge of stream " + h.streamId() + " is gone; finishing it");
            h.ingest().session().finish();
        }
    }

    /** This node shuts down: take no new stream (those it has are moved by the rooms' drain). */
    void drain() {
        draining = true;
    }

    private void send(String address, int generation, JsonObject event) {
        vertx.eventBus().send(address, event.put("generation", generation));
    }

    /** A speaker's captions, echoed to the edge that holds its connection. */
    private final class EdgeEcho implements CaptionSink {
        private final String address;
        private final int generation;

        EdgeEcho(String address, int generation) {
            this.address = address;
            this.generation = generation;
        }

        @Override
        public void send(Caption c) {
            HostedSpeakers.this.send(address, generation, new JsonObject().put("type", "caption")
                    .put("caption", CaptionJson.toStored(c)));
        }
    }
}
