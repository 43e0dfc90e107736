package io.parley.gateway.ws;

import io.parley.gateway.config.Limits;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.speech.audio.AudioDecoder;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.AudioStreamFormat;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A speaker's socket: the start message, then audio frames decoded to 16 kHz and fed to a
 * recognizer session, and the speaker's own captions echoed back.
 *
 * <p>Bad input is answered with an error and the connection stays usable; what was accepted
 * before is never lost: when the speaker stops or disconnects, even mid-word, the recognizer
 * still finishes every accepted sample and its last utterance ends in a final.
 */
public final class SpeakerSocket implements CaptionSink {

    private static final Logger LOG = Logger.getLogger(SpeakerSocket.class.getName());

    private enum State { AWAITING_START, STREAMING, STOPPING, ENDED }

    private final Vertx vertx;
    private final ServerWebSocket ws;
    private final Room room;
    private final Engines engines;
    private final Limits limits;
    private final GatewayMetrics metrics;
    private final InboundFrames frames;
    private final String connectionId;

    // Touched on the connection's event loop, except `state`, which the recognizer's end also sets.
    private volatile State state = State.AWAITING_START;
    private AudioDecoder decoder;
    private RecognizerSession session;
    private long streamStartNanos;
    private double acceptedSeconds;
    private long lastMessageNanos = System.nanoTime();
    private long idleTimer = -1;

    public SpeakerSocket(Vertx vertx, ServerWebSocket ws, Room room, Engines engines, Limits limits,
                         GatewayMetrics metrics, String connectionId) {
        this.vertx = vertx;
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
        ws.exceptionHandler(e -> LOG.log(Level.FINE, "speaker socket error", e));
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
        SpeakerIngest ingest;
        try {
            ingest = SpeakerIngest.open(room, engines, limits.maxSpeakersPerRoom(), start.language(), start.speaker(),
                    this, connectionId, this::onRecognizerError, this::onStreamEnded);
        } catch (IngestRefused e) {
            error(e.code(), e.getMessage());
            return;
        }
        session = ingest.session();
        SpeechRecognizer recognizer = engines.recognizer();
        state = State.STREAMING;
        streamStartNanos = System.nanoTime();
        ws.writeTextMessage(new JsonObject().put("type", "ready").put("room", room.id())
                .put("language", ingest.language()).put("engine", recognizer.engine())
                .put("task", room.settings().taskName())
                .put("format", start.format().encoding().wireName()).put("sampleRate", start.format().sampleRate())
                .encode());
    }

    private void onStop() {
        switch (state) {
            case AWAITING_START -> {
                state = State.ENDED;
                ws.writeTextMessage(new JsonObject().put("type", "stopped").encode());
                ws.close(CloseCodes.NORMAL, "stopped");
            }
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
        if (state != State.STREAMING) {
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
        double ahead = acceptedSeconds + seconds - elapsed;
        if (ahead > limits.audioBurstSeconds()) {
            error(ErrorCodes.RATE_LIMITED, String.format(java.util.Locale.ROOT, "audio is arriving faster than real time"
                    + " (%.1f s ahead, %.0f s allowed); this frame was not used", ahead, limits.audioBurstSeconds()));
            return;
        }
        try {
            session.accept(samples, 0, samples.length);
        } catch (RecognizerException e) {
            error(e.code(), e.getMessage());
            return;
        }
        acceptedSeconds += seconds;
        metrics.audioFrameAccepted();
    }

    // ---- stream end ----

    private void onDisconnected() {
        vertx.cancelTimer(idleTimer);
        if (state == State.STREAMING) {
            // The client went away mid-stream: whatever it sent is still recognised and journaled.
            state = State.STOPPING;
            session.finish();
        } else if (state == State.AWAITING_START) {
            state = State.ENDED;
        }
    }

    private void onRecognizerError(RecognizerException e) {
        error(e.code(), e.getMessage());
    }

    /** Called on the recognizer's thread once its last final has been published. */
    private void onStreamEnded() {
        State before = state;
        state = State.ENDED;
        if (!ws.isClosed()) {
            ws.writeTextMessage(new JsonObject().put("type", "stopped").encode());
            ws.close(before == State.STOPPING ? CloseCodes.NORMAL : CloseCodes.INTERNAL, "stream ended");
        }
    }

    // ---- echo and errors ----

    @Override
    public void send(Caption caption) {
        if (ws.isClosed() || (!caption.isFinal() && ws.writeQueueFull())) {
            return; // the speaker's own echo: partials may be skipped, finals are in the journal anyway
        }
        metrics.captionSent(caption.isFinal());
        ws.writeTextMessage(CaptionJson.encode(caption));
    }

    private void error(String code, String message) {
        metrics.error(code);
        if (!ws.isClosed()) {
            ws.writeTextMessage(ErrorMessage.encode(code, message));
        }
    }
}
