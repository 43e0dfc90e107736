package io.parley.gateway.fleet;

import io.parley.gateway.ingest.AudioSinceFinal;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.RoomRefusal;
import io.parley.gateway.room.SpeakerStream;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A speaker held by this edge whose audio is recognised on a worker: what the speaker's connection
 * talks to instead of a local recognizer session. It keeps the audio since the speaker's last
 * final (each final the worker echoes is stored by then); when the worker dies or shuts down, the
 * stream is placed again, on the least busy worker alive, and given that audio first, so the
 * utterance under way still ends in a final and none is lost.
 *
 * <p>Each placement is a generation: audio and events of an older one are ignored, so a worker
 * that comes back from a pause cannot interleave with its successor. The one exception is the
 * placement just retired by a move: its captions still in flight (a final made as its worker
 * was told to stop) are taken, so that the audio they cover is not recognised again, while its
 * end, errors and requests are not (they speak of a placement that is over).
 */
final class EdgeSpeaker implements RecognizerSession {

    private static final Logger LOG = Logger.getLogger(EdgeSpeaker.class.getName());
    static final int RATE = 16000;
    /** Audio kept since the last final, as a local stream keeps it for a restart. */
    static final double KEEP_SECONDS = 60;
    static final long OPEN_TIMEOUT_MILLIS = 10_000;
    /** How long a stream whose worker died waits for a worker that can take it. */
    static final long PLACE_RETRY_MILLIS = 15_000;

    private final Vertx vertx;
    private final RoomHosts hosts;
    private final FleetNodes nodes;
    private final Executor blocking;
    private final String roomId;
    private final String language;
    private final List<String> expected;
    private final String speaker;
    private final CaptionSink echo;
    private final String streamId;
    private final double startOffset;
    private final Consumer<RecognizerException> onError;
    private final Runnable onEnded;
    private final SpeakerStream.Ending ending;
    private final Runnable onMoved;
    private final AudioSinceFinal audio = new AudioSinceFinal(RATE, KEEP_SECONDS);
    private MessageConsumer<JsonObject> events;

    // Guarded by this.
    private int generation;
    private String host;
    /** Where this generation's audio starts on the stream's time line. */
    private double generationStart;
    private boolean finishing;
    private boolean ended;
    private boolean moving;
    /** The placement a move retired, whose late captions still count; -1 when none. */
    private int retiredGeneration = -1;
    private double retiredStart;
    /** A worker being placed on is going too (it asked to move, or left): move again once placed. */
    private boolean moveAgain;
    private String placingOn;
    private RecognizerException refused;
    private String engine = "";

    EdgeSpeaker(Vertx vertx, RoomHosts hosts, FleetNodes nodes, Executor blocking, String roomId, String language,
                List<String> expected, String speaker, CaptionSink echo, String streamId, double startOffset, Consumer<RecognizerException> onError,
                Runnable onEnded, SpeakerStream.Ending ending, Runnable onMoved) {
        this.vertx = vertx;
        this.hosts = hosts;
        this.nodes = nodes;
        this.blocking = blocking;
        this.roomId = roomId;
        this.language = language;
        this.expected = List.copyOf(expected);
        this.speaker = speaker;
        this.echo = echo;
        this.streamId = streamId;
        this.startOffset = startOffset;
        this.onError = onError;
        this.onEnded = onEnded;
        this.ending = ending;
        this.onMoved = onMoved;
    }

    /** Places the stream on a worker and opens it there; blocks (not on an event loop). */
    void open() throws IngestRefused {
        events = vertx.eventBus().consumer(FleetAddresses.speakerEvents(streamId), m -> event(m.body()));
        try {
            events.completion().toCompletionStage().toCompletableFuture().get(OPEN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            place(Set.of());
        } catch (IngestRefused e) {
            events.unregister();
            throw e;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            events.unregister();
            throw new IngestRefused(ErrorCodes.INTERNAL, "the fleet could not take the stream: " + e.getMessage());
        }
    }

    String engine() {
        return engine;
    }

    /**
     * A new generation on the least busy worker (not those in {@code avoid}), given the audio since
     * the last final. Waits for the worker without holding this session's lock: its answer and
     * the old worker's last events come on event loops that must not wait for that lock.
     */
    private void place(Set<String> avoid) throws IngestRefused, InterruptedException {
        String chosen;
        JsonObject reply;
        int gen;
        double start;
        try {
            chosen = hosts.place(roomId, avoid).get(OPEN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            synchronized (this) {
                gen = ++generation;
                generationStart = audio.startSeconds();
                start = generationStart;
                placingOn = chosen;
                moveAgain = false; // a new attempt, on a new worker
            }
            JsonObject request = new JsonObject().put("stream", streamId).put("generation", gen).put("room", roomId)
                    .put("speaker", speaker).put("language", language)
                    .put("languages", new io.vertx.core.json.JsonArray(expected)).put("edge", nodes.self())
                    .put("startOffset", startOffset + start);
            reply = vertx.eventBus().<JsonObject>request(FleetAddresses.speakerOpen(chosen), request)
                    .toCompletionStage().toCompletableFuture().get(OPEN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).body();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RoomRefusal r) {
                throw new IngestRefused(r.code(), r.getMessage());
            }
            throw new IngestRefused(ErrorCodes.CAPACITY, "no worker answered: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IngestRefused(ErrorCodes.CAPACITY, "no worker answered in time");
        }
        if (!reply.getBoolean("ok", false)) {
            throw new IngestRefused(reply.getString("code", ErrorCodes.INTERNAL), reply.getString("message", "refused"));
        }
        boolean goAgain;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            host = chosen;
            placingOn = null;
            engine = reply.getString("engine", "");
            moving = false;
            float[] again = audio.samples();
            if (again.length > 0) {
                send(again);
            }
            if (finishing) {
                control(ended ? "abort" : "finish");
            }
            goAgain = moveAgain;
            moveAgain = false;
        }
        if (goAgain) {
            move("the worker it was placed on is going too");
        }
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        synchronized (this) {
            if (ended || finishing) {
                throw new IllegalStateException("the session has ended");
            }
            if (refused != null) {
                RecognizerException r = refused;
                refused = null;
                throw r;
            }
            float[] piece = new float[length];
            System.arraycopy(samples, offset, piece, 0, length);
            audio.append(piece, 0, length);
            if (!moving) {
                send(piece); // while moving, the audio waits in the buffer for the next worker
            }
        }
    }

    private void send(float[] samples) {
        vertx.eventBus().send(FleetAddresses.speakerAudio(host), new AudioFrame(streamId, generation, samples).encode());
    }

    private void control(String op) {
        vertx.eventBus().send(FleetAddresses.speakerControl(host),
                new JsonObject().put("stream", streamId).put("generation", generation).put("op", op));
    }

    @Override
    public double backlogSeconds() {
        return 0; // the worker refuses what it cannot take, and says so (accept throws)
    }

    @Override
    public synchronized void finish() {
        if (!finishing && !ended) {
            finishing = true;
            if (!moving) {
                control("finish");
            }
        }
    }

    @Override
    public void abort() {
        boolean tellNow;
        synchronized (this) {
            if (ended) {
                return;
            }
            finishing = true;
            tellNow = moving || host == null || !nodes.alive(host);
            if (!tellNow) {
                control("abort");
            }
        }
        if (tellNow) {
            end();
        }
    }

    private final java.util.List<Runnable> whenEnded = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        events.unregister();
        onEnded.run();
        whenEnded.forEach(Runnable::run);
    }

    /** Runs {@code r} once the stream has ended (at once if it has). */
    void whenEnded(Runnable r) {
        boolean now;
        synchronized (this) {
            now = ended;
            if (!now) {
                whenEnded.add(r);
            }
        }
        if (now) {
            r.run();
        }
    }

    private void event(JsonObject e) {
        String type = e.getString("type", "");
        int gen = e.getInteger("generation", -1);
        double start;
        synchronized (this) {
            if (ended) {
                return;
            }
            boolean retired = gen == retiredGeneration && gen != generation;
            if (retired && "caption".equals(type)) {
                start = retiredStart; // a final the old worker made as it was told to stop
            } else if (gen != generation) {
                return; // an older placement's
            } else if (moving && ("move".equals(type) || "end".equals(type))) {
                // The worker being placed on is going too, before its placement completed: move
                // again once placed.
                moveAgain = true;
                return;
            } else {
                start = generationStart;
            }
        }
        switch (type) {
            case "caption" -> {
                Caption c;
                try {
                    c = CaptionJson.fromStored(e.getString("caption"));
                } catch (RuntimeException bad) {
                    return;
                }
                if (c.isFinal()) {
                    synchronized (this) {
                        audio.dropBefore(start + c.end());
                    }
                }
                echo.send(c);
            }
            case "end" -> end();
            case "error" -> onError.accept(new RecognizerException(e.getString("code", ErrorCodes.INTERNAL),
                    e.getString("message", "the recognizer failed")));
            case "refused" -> {
                synchronized (this) {
                    refused = new RecognizerException(e.getString("code", ErrorCodes.RECOGNIZER_OVERLOADED),
                            e.getString("message", "the recognizer is behind"));
                }
            }
            case "finish" -> ending.finish(e.getString("code", ErrorCodes.ROOM_CLOSED), e.getString("message", ""),
                    e.getInteger("closeCode", 4410).shortValue(), e.getLong("retryAfterMs", -1L));
            case "move" -> move("its worker is shutting down");
            default -> { }
        }
    }

    /** A node of the fleet is gone (told by the fleet for every speaker it holds). */
    void nodeGone(String node) {
        synchronized (this) {
            if (ended) {
                return;
            }
            if (moving && node.equals(placingOn)) {
                moveAgain = true;
                return;
            }
            if (!node.equals(host)) {
                return;
            }
        }
        move("its worker " + node + " is gone");
    }

    /** Places the stream again elsewhere, off the event loop; gives up with an error after a while. */
    private void move(String why) {
        String from;
        synchronized (this) {
            if (ended || moving) {
                return;
            }
            moving = true;
            from = host;
            // The old placement is over now: its last events (the old worker ends the stream it was
            // told to give up, with "end") must not end the speaker whose stream is being moved;
            // its captions in flight still count (see the class comment).
            retiredGeneration = generation;
            retiredStart = generationStart;
            generation++;
        }
        LOG.warning(() -> "fleet: moving stream " + streamId + " of room " + roomId + ": " + why);
        onMoved.run();
        blocking.execute(() -> {
            Set<String> avoid = new HashSet<>(Set.of(from));
            long deadline = System.nanoTime() + PLACE_RETRY_MILLIS * 1_000_000L;
            IngestRefused last = null;
            while (System.nanoTime() < deadline) {
                try {
                    synchronized (this) {
                        if (ended) {
                            return;
                        }
                    }
                    place(avoid);
                    LOG.info(() -> "fleet: stream " + streamId + " now runs on " + host);
                    return;
                } catch (IngestRefused e) {
                    last = e;
                    LOG.info(() -> "fleet: stream " + streamId + " not placed yet (" + e.code() + "): " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            IngestRefused why2 = last;
            LOG.warning(() -> "fleet: stream " + streamId + " of room " + roomId + " could not be placed again in "
                    + PLACE_RETRY_MILLIS / 1000 + " s" + (why2 == null ? "" : ": " + why2.getMessage()));
            onError.accept(new RecognizerException(why2 == null ? ErrorCodes.CAPACITY : why2.code(),
                    "the stream's worker was lost and no other could take it"
                            + (why2 == null ? "" : ": " + why2.getMessage())));
            end();
        });
    }
}
