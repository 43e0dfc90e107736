package io.parley.gateway.ws;

import io.parley.gateway.config.Limits;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.speech.audio.AudioDecoder;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.AudioStreamFormat;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A speaker's socket: the start message, then audio frames decoded to 16 kHz and fed to a
 * recognizer session, and the speaker's own captions echoed back.
 *
 * <p>Bad input is answered with an error and the connection stays usable; what was accepted
 * before is never lost: when the speaker stops or disconnects, even mid-word, the recognizer
 * still finishes every accepted sample and its last utterance ends in a final. The recognizer
 * session is opened off the event loop; audio that arrives meanwhile waits for it.
 */
public final class SpeakerSocket implements CaptionSink {

    private static final Logger LOG = Logger.getLogger(SpeakerSocket.class.getName());
    /** Audio held while the recognizer session opens: a client may stream right after its start message. */
    private static final double MAX_HELD_SECONDS = 10;

    private enum State { AWAITING_START, OPENING, STREAMING, STOPPING, ENDED }

    /** Why the room ended the stream, for the client's last message. */
    private record Ending(String code, String message, short closeCode, long retryAfterMs) {
    }

    private final Vertx vertx;
    private final Context context;
    private final ServerWebSocket ws;
    private final Room room;
    private final Engines engines;
    private final Limits limits;
    private final GatewayMetrics metrics;
    private final InboundFrames frames;
    private final String connectionId;

    // Touched on the connection's event loop, except `state` and `ending`, which the recognizer's end reads.
    private volatile State state = State.AWAITING_START;
    private volatile Ending ending;
    private AudioDecoder decoder;
    private RecognizerSession session;
    private long streamStartNanos;
    private double acceptedSeconds;
    private final ArrayDeque<float[]> held = new ArrayDeque<>();
    private double heldSeconds;
    private boolean disconnectedWhileOpening;
    private long lastMessageNanos = System.nanoTime();
    private long idleTimer = -1;

    public SpeakerSocket(Vertx vertx, ServerWebSocket ws, Room room, Engines engines, Limits limits,
                         GatewayMetrics metrics, String connectionId) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.ws = ws;
        this.room = room;
        this.engines = engines;
        this.limits = limits;
        this.metrics = metrics;
        this.frames = new InboundFrames(limits, this::error);
        this.connectionId = connectionId;
    }

    public void start() {
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(this::onAudio);
        ws.closeHandler(v -> onDisconnected());
        ws.exceptionHandler(e -> {
            if (ProtocolViolation.closeFor(ws, e)) {
                metrics.error(ErrorCodes.FRAME_TOO_LARGE);
            } else {
                LOG.log(Level.FINE, "speaker socket error", e);
            }
        });
        idleTimer = vertx.setPeriodic(1000, id -> {
            if (System.nanoTime() - lastMessageNanos > limits.speakerIdleTimeout().toNanos()) {
                error(ErrorCodes.IDLE_TIMEOUT, "nothing received for " + limits.speakerIdleTimeout().toSeconds()
                        + " s; send audio or {\"type\":\"keepalive\"}");
                ws.close(CloseCodes.IDLE, ErrorCodes.IDLE_TIMEOUT);
            }
        });
    }

    // ---- control messages ----

    private void onText(String text) {
        lastMessageNanos = System.nanoTime();
        JsonObject msg = frames.message(text);
        if (msg == null) {
            return;
        }
        switch (msg.getString("type")) {
            case "start" -> onStart(msg);
            case "stop" -> onStop();
            case "keepalive" -> { }
            default -> error(ErrorCodes.UNKNOWN_MESSAGE, "unknown message type '" + msg.getString("type")
                    + "'; a speaker sends start, stop and keepalive");
        }
    }

    private void onStart(JsonObject msg) {
        if (state != State.AWAITING_START) {
            error(ErrorCodes.ALREADY_STARTED, "this socket has already started a stream");
            return;
        }
        StartMessage start;
        try {
            start = StartMessage.parse(msg);
        } catch (StartMessage.Invalid e) {
            error(e.code(), e.getMessage());
            return;
        }
        try {
            decoder = AudioDecoder.create(start.format());
        } catch (AudioFormatException e) {
            error(e.code(), e.getMessage());
            return;
        }
        state = State.OPENING;
        streamStartNanos = System.nanoTime();
        vertx.<SpeakerIngest>executeBlocking(() -> SpeakerIngest.open(room, engines, metrics, start.language(), start.languages(), start.speaker(),
                this, connectionId, this::onRecognizerError, this::onStreamEnded, this::onRoomEnding), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        held.clear();
                        state = State.AWAITING_START;
                        Throwable cause = ar.cause();
                        if (cause instanceof IngestRefused refused) {
                            error(refused.code(), refused.getMessage());
                        } else {
                            LOG.log(Level.WARNING, "opening a recognizer session failed", cause);
                            error(ErrorCodes.INTERNAL, "the recognizer could not be opened");
                        }
                        if (disconnectedWhileOpening) {
                            state = State.ENDED;
                        }
                        return;
                    }
                    SpeakerIngest ingest = ar.result();
                    session = ingest.session();
                    state = State.STREAMING;
                    ws.writeTextMessage(new JsonObject().put("type", "ready").put("room", room.id())
                            .put("language", ingest.language()).put("engine", engines.recognizer().engine())
                            .put("task", room.settings().taskName())
                            .put("format", start.format().encoding().wireName()).put("sampleRate", start.format().sampleRate())
                            .encode());
                    while (!held.isEmpty()) {
                        feed(held.poll());
                    }
                    heldSeconds = 0;
                    if (disconnectedWhileOpening || ending != null) {
                        state = State.STOPPING;
                        session.finish();
                    }
                });
    }

    private void onStop() {
        switch (state) {
            case AWAITING_START -> {
                state = State.ENDED;
                ws.writeTextMessage(new JsonObject().put("type", "stopped").encode());
                ws.close(CloseCodes.NORMAL, "stopped");
            }
            case OPENING -> disconnectedWhileOpening = true; // finished as soon as it is open
            case STREAMING -> {
                state = State.STOPPING;
                session.finish(); // "stopped" follows once the last final is out
            }
            default -> { }
        }
    }

    // ---- audio ----

    private void onAudio(Buffer frame) {
        lastMessageNanos = System.nanoTime();
        if (!frames.withinRate()) {
            return;
        }
        if (frame.length() > limits.maxAudioFrameBytes()) {
            error(ErrorCodes.FRAME_TOO_LARGE, "audio frames are limited to " + limits.maxAudioFrameBytes()
                    + " bytes; this one had " + frame.length() + " and was not used");
            return;
        }
        if (state == State.AWAITING_START) {
            error(ErrorCodes.AUDIO_BEFORE_START, "send {\"type\":\"start\", ...} before any audio");
            return;
        }
        if (state != State.STREAMING && state != State.OPENING) {
            error(ErrorCodes.INVALID_REQUEST, "the stream was stopped; no more audio is taken");
            return;
        }
        float[] samples;
        try {
            samples = decoder.decode(frame.getBytes());
        } catch (AudioFormatException e) {
            error(e.code(), e.getMessage());
            return;
        }
        double seconds = samples.length / (double) AudioStreamFormat.RECOGNIZER_RATE;
        double elapsed = (System.nanoTime() - streamStartNanos) / 1e9;
        double ahead = acceptedSeconds + heldSeconds + seconds - elapsed;
        if (ahead > limits.audioBurstSeconds()) {
            error(ErrorCodes.RATE_LIMITED, String.format(java.util.Locale.ROOT, "audio is arriving faster than real time"
                    + " (%.1f s ahead, %.0f s allowed); this frame was not used", ahead, limits.audioBurstSeconds()));
            return;
        }
        if (state == State.OPENING) {
            if (heldSeconds + seconds > MAX_HELD_SECONDS) {
                error(ErrorCodes.RATE_LIMITED, "the recognizer is still starting; wait for {\"type\":\"ready\"}");
                return;
            }
            held.add(samples);
            heldSeconds += seconds;
            return;
        }
        feed(samples);
    }

    private void feed(float[] samples) {
        try {
            session.accept(samples, 0, samples.length);
        } catch (RecognizerException e) {
            error(e.code(), e.getMessage());
            return;
        } catch (IllegalStateException ended) {
            return; // the room ended the stream meanwhile
        }
        acceptedSeconds += samples.length / (double) AudioStreamFormat.RECOGNIZER_RATE;
        metrics.audioFrameAccepted();
    }

    // ---- stream end ----

    private void onDisconnected() {
        vertx.cancelTimer(idleTimer);
        if (state == State.STREAMING) {
            // The client went away mid-stream: whatever it sent is still recognised and stored.
            state = State.STOPPING;
            session.finish();
        } else if (state == State.OPENING) {
            disconnectedWhileOpening = true;
        } else if (state == State.AWAITING_START) {
            state = State.ENDED;
        }
    }

    private void onRecognizerError(RecognizerException e) {
        error(e.code(), e.getMessage());
    }

    /** The room is closing or the server draining: take no more audio, finish, then say why. */
    private void onRoomEnding(String code, String message, short closeCode, long retryAfterMs) {
        ending = new Ending(code, message, closeCode, retryAfterMs);
        context.runOnContext(v -> {
            if (state == State.STREAMING) {
                state = State.STOPPING;
                session.finish();
            }
        });
    }

    /** Called on the recognizer's thread once its last final has been published. */
    private void onStreamEnded() {
        State before = state;
        state = State.ENDED;
        context.runOnContext(v -> {
            if (ws.isClosed()) {
                return;
            }
            ws.writeTextMessage(new JsonObject().put("type", "stopped").encode());
            Ending why = ending;
            if (why != null) {
                closing(why.code(), why.message(), why.closeCode(), why.retryAfterMs());
            } else {
                ws.close(before == State.STOPPING ? CloseCodes.NORMAL : CloseCodes.INTERNAL, "stream ended");
            }
        });
    }

    // ---- echo and errors ----

    @Override
    public void send(Caption caption) {
        if (ws.isClosed() || (!caption.isFinal() && ws.writeQueueFull())) {
            return; // the speaker's own echo: partials may be skipped, finals are in the store anyway
        }
        metrics.captionSent(caption.isFinal());
        ws.writeTextMessage(CaptionJson.encode(caption));
    }

    @Override
    public void closing(String code, String message, short closeCode, long retryAfterMs) {
        Closing.tell(ws, code, message, closeCode, retryAfterMs);
    }

    private void error(String code, String message) {
        metrics.error(code);
        if (!ws.isClosed()) {
            ws.writeTextMessage(ErrorMessage.encode(code, message));
        }
    }
}
