package io.parley.gateway.http;

import io.parley.gateway.config.Limits;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.audio.AudioDecoder;
import io.parley.speech.audio.AudioEncoding;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.AudioStreamFormat;
import io.parley.speech.audio.OggOpusStreamDecoder;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.recognizer.Utterance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Deepgram live stream ({@code GET /v1/listen} upgraded): binary audio in, {@code Results}
 * out, on a recognizer session of its own.
 *
 * <ul>
 *   <li>{@code KeepAlive} keeps an idle stream open; {@code Finalize} ends the utterance under
 *       way at once (its final says {@code from_finalize: true}) and the stream goes on, on a
 *       fresh recognizer session whose times continue where the last left off;
 *       {@code CloseStream} finishes everything sent, then the closing {@code Metadata} and a
 *       normal close.</li>
 *   <li>Partials are sent when {@code interim_results=true}; every final says
 *       {@code is_final: true} and, when it ended at a pause, {@code speech_final: true};
 *       {@code vad_events} adds {@code SpeechStarted}, {@code utterance_end_ms} adds
 *       {@code UtteranceEnd}.</li>
 *   <li>Audio that cannot be used closes the stream as Deepgram does, 1008 with a
 *       {@code DATA-0000} reason; a stream that sends nothing past the idle limit, 1011
 *       {@code NET-0001}. What was accepted is still finished first.</li>
 * </ul>
 */
final class DeepgramLiveSocket {

    private static final Logger LOG = Logger.getLogger(DeepgramLiveSocket.class.getName());
    private static final int RATE = AudioStreamFormat.RECOGNIZER_RATE;

    private final Vertx vertx;
    private final Context context;
    private final ServerWebSocket ws;
    private final DeepgramSessions sessions;
    private final DeepgramOptions options;
    private final Limits limits;
    private final GatewayMetrics metrics;
    private final DeepgramJson.Model model;
    private final String requestId;

    // On the socket's event loop, except where noted.
    private AudioDecoder decoder;
    private byte[] wavHeader = new byte[0];
    private RecognizerSession session;
    /** Seconds of audio accepted by sessions before the current one (Finalize starts a new one). */
    private double offset;
    private double accepted;
    private boolean finalizing;
    private boolean closing;
    private boolean inUtterance;
    private long lastMessageNanos = System.nanoTime();
    private long idleTimer = -1;

    DeepgramLiveSocket(Vertx vertx, ServerWebSocket ws, SpeechRecognizer recognizer, DeepgramSessions sessions,
                       DeepgramOptions options, Limits limits, GatewayMetrics metrics, String requestId) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.ws = ws;
        this.sessions = sessions;
        this.requestId = requestId;
        this.options = options;
        this.limits = limits;
        this.metrics = metrics;
        this.model = new DeepgramJson.Model(options.model(), recognizer.engine());
    }

    /** Opens the first recognizer session; blocks, so it runs off the event loop. */
    void openSession() throws RecognizerException {
        if (options.encoding().filter("opus"::equals).isPresent()) {
            decoder = new OggOpusStreamDecoder();
        } else if (options.encoding().isPresent()) {
            decoder = decoderFor(options.sampleRate(), options.channels());
        }
        session = open();
    }

    /** Starts reading the socket, on its event loop, once the session is open. */
    void listen() {
        ws.binaryMessageHandler(this::onAudio);
        ws.textMessageHandler(this::onText);
        ws.closeHandler(v -> onDisconnected());
        ws.exceptionHandler(e -> LOG.log(Level.FINE, "Deepgram socket error", e));
        idleTimer = vertx.setPeriodic(1000, id -> {
            if (!closing && System.nanoTime() - lastMessageNanos > limits.speakerIdleTimeout().toNanos()) {
                closeAfterFinish((short) 1011, "NET-0001: no audio or KeepAlive received for "
                        + limits.speakerIdleTimeout().toSeconds() + " s");
            }
        });
    }

    private RecognizerSession open() throws RecognizerException {
        double sessionOffset = offset;
        return sessions.open(new RecognitionListener() {
            @Override
            public void onPartial(Utterance partial) {
                context.runOnContext(v -> partial(partial, sessionOffset));
            }

            @Override
            public void onFinal(Utterance fin) {
                context.runOnContext(v -> fin(fin, sessionOffset));
            }

            @Override
            public void onError(RecognizerException error) {
                context.runOnContext(v -> {
                    metrics.error(error.code());
                    closing = true;
                    ws.close((short) 1011, "NET-0000: " + clip(error.getMessage()));
                });
            }

            @Override
            public void onEnd() {
                context.runOnContext(v -> sessionEnded());
            }
        });
    }

    // ---- from the client ----

    private void onText(String text) {
        lastMessageNanos = System.nanoTime();
        String type;
        try {
            type = new JsonObject(text).getString("type", "");
        } catch (RuntimeException e) {
            type = "";
        }
        switch (type) {
            case "KeepAlive" -> { }
            case "Finalize" -> {
                if (!finalizing && !closing && accepted > offset) {
                    finalizing = true;
                    session.finish(); // its last final says from_finalize; a new session follows (sessionEnded)
                }
            }
            case "CloseStream" -> closeAfterFinish((short) 1000, "");
            default -> {
                metrics.error(ErrorCodes.UNKNOWN_MESSAGE);
                ws.writeTextMessage(new JsonObject().put("type", "Error").put("description",
                        "unknown message; a client sends KeepAlive, Finalize and CloseStream").encode());
            }
        }
    }

    private void onAudio(Buffer frame) {
        lastMessageNanos = System.nanoTime();
        if (closing) {
            return;
        }
        if (frame.length() > limits.maxAudioFrameBytes()) {
            closeAfterFinish((short) 1008, "DATA-0000: audio messages are limited to " + limits.maxAudioFrameBytes()
                    + " bytes");
            return;
        }
        byte[] bytes = frame.getBytes();
        if (decoder == null) {
            // No encoding: audio in a container. The WAV header is read, the rest is its PCM.
            byte[] head = Arrays.copyOf(wavHeader, wavHeader.length + bytes.length);
            System.arraycopy(bytes, 0, head, wavHeader.length, bytes.length);
            wavHeader = head;
            if (head.length < 44) {
                return;
            }
            int data = wavDataOffset(head);
            if (data < 0) {
                closeAfterFinish((short) 1008, "DATA-0000: without encoding this server takes audio in a WAV container;"
                        + " for raw audio give encoding=linear16 and sample_rate");
                return;
            }
            if (data > head.length) {
                return; // the header continues in the next message
            }
            ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            try {
                decoder = decoderFor(b.getInt(24), b.getShort(22));
            } catch (RecognizerException e) {
                closeAfterFinish((short) 1008, "DATA-0000: " + e.getMessage());
                return;
            }
            bytes = Arrays.copyOfRange(head, data, head.length);
            wavHeader = null;
        }
        float[] samples;
        try {
            samples = decoder.decode(bytes);
        } catch (AudioFormatException e) {
            closeAfterFinish((short) 1008, "DATA-0000: " + clip(e.getMessage()));
            return;
        }
        if (finalizing) {
            // Finalize is under way: this audio waits for the fresh session that follows it.
            pending = append(pending, samples);
            return;
        }
        feed(samples);
    }

    private void feed(float[] samples) {
        try {
            session.accept(samples, 0, samples.length);
            accepted += samples.length / (double) RATE;
            metrics.audioFrameAccepted();
        } catch (RecognizerException e) {
            metrics.error(e.code());
            closeAfterFinish((short) 1011, "NET-0000: " + clip(e.getMessage()));
            return;
        } catch (IllegalStateException ended) {
            return; // the stream is closing
        }
        // A client may stream a recording faster than real time, as it may to Deepgram: rather than
        // refuse audio, stop reading the socket (TCP holds the sender back) until the recognizer catches up.
        if (session.backlogSeconds() > HOLD_BACK_SECONDS && !paused) {
            paused = true;
            ws.pause();
            vertx.setPeriodic(50, id -> {
                if (closing || session.backlogSeconds() < HOLD_BACK_SECONDS / 2) {
                    vertx.cancelTimer(id);
                    paused = false;
                    ws.resume();
                }
            });
        }
    }

    private static final double HOLD_BACK_SECONDS = 8;
    private boolean paused;
    private float[] pending = new float[0];

    private static float[] append(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void onDisconnected() {
        vertx.cancelTimer(idleTimer);
        if (!closing) {
            closing = true;
            session.finish();
        }
    }

    /** The room ends the stream (a shutdown, the room closed): everything sent is finished, then 1001. */
    void roomEnding(String why) {
        context.runOnContext(v -> closeAfterFinish((short) 1001, "NET-0002: " + why));
    }

    /** Finishes every accepted sample, sends its finals and the Metadata, then closes with {@code code}. */
    private void closeAfterFinish(short code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closeCode = code;
        closeReason = reason;
        if (!finalizing) {
            session.finish();
        }
    }

    private short closeCode = 1000;
    private String closeReason = "";

    // ---- from the recognizer (on the event loop) ----

    private void partial(Utterance u, double sessionOffset) {
        if (u.text().isBlank()) {
            return;
        }
        if (!inUtterance) {
            inUtterance = true;
            if (options.vadEvents()) {
                send(DeepgramJson.speechStarted(sessionOffset + u.start()));
            }
        }
        if (options.interim()) {
            metrics.captionSent(false);
            send(DeepgramJson.results(requestId, model, sessionOffset + u.start(), sessionOffset + u.end(), false, false, false,
                    DeepgramJson.alternative(u.text(), u.words(), sessionOffset)));
        }
    }

    private void fin(Utterance u, double sessionOffset) {
        if (u.text().isBlank() && !finalizing) {
            return;
        }
        if (!inUtterance && options.vadEvents() && !u.text().isBlank()) {
            send(DeepgramJson.speechStarted(sessionOffset + u.start()));
        }
        inUtterance = false;
        boolean fromFinalize = finalizing;
        send(DeepgramJson.results(requestId, model, sessionOffset + u.start(), sessionOffset + u.end(), true, !fromFinalize,
                fromFinalize, DeepgramJson.alternative(u.text(), u.words(), sessionOffset)));
        if (options.utteranceEndMs().isPresent() && !u.words().isEmpty()) {
            send(DeepgramJson.utteranceEnd(sessionOffset + u.words().getLast().end()));
        }
        metrics.captionSent(true);
    }

    private void sessionEnded() {
        boolean wasFinalizing = finalizing;
        if (wasFinalizing && (!closing || pending.length > 0)) {
            // After Finalize the stream goes on: a fresh session, its times after the last one's.
            offset = accepted;
            vertx.<RecognizerSession>executeBlocking(this::open, false).onComplete(ar -> {
                finalizing = false;
                if (ar.failed()) {
                    closing = true;
                    ws.close((short) 1011, "NET-0000: " + clip(String.valueOf(ar.cause().getMessage())));
                    return;
                }
                session = ar.result();
                float[] held = pending;
                pending = new float[0];
                if (held.length > 0) {
                    feed(held);
                }
                if (closing) {
                    session.finish();
                }
            });
            return;
        }
        finalizing = false;
        vertx.cancelTimer(idleTimer);
        if (!ws.isClosed()) {
            send(DeepgramJson.metadata(requestId, model, accepted, "").put("type", "Metadata"));
            if (closeCode == 1000) {
                ws.close();
            } else {
                ws.close(closeCode, clip(closeReason));
            }
        }
    }

    private void send(JsonObject message) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(message.encode());
        }
    }

    private static AudioDecoder decoderFor(int rate, int channels) throws RecognizerException {
        try {
            return AudioDecoder.create(new AudioStreamFormat(AudioEncoding.PCM_S16LE, rate, channels));
        } catch (AudioFormatException e) {
            throw new RecognizerException(e.code(), e.getMessage());
        }
    }

    /** Where a WAV header's data begins, or -1 if these bytes are no WAV; beyond the bytes when the header goes on. */
    static int wavDataOffset(byte[] head) {
        if (!(head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'W' && head[9] == 'A')) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        while (at + 8 <= head.length) {
            String id = new String(head, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("data")) {
                return at + 8;
            }
            if (size < 0 || size > 1 << 20) {
                return -1;
            }
            at += 8 + size + (size & 1);
        }
        return head.length + 1;
    }

    private static String clip(String s) {
        // A close reason is at most 123 bytes.
        return s.length() <= 110 ? s : s.substring(0, 110) + "…";
    }
}
