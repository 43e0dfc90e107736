package io.parley.testkit;

import io.parley.speech.audio.WavFile;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.locks.LockSupport;

/**
 * Streams audio to the speaker socket at real-time pace, as a microphone would: a frame leaves
 * once its last sample has been spoken, never before (a frame sent at its first sample would put
 * the audio up to a frame's length ahead of the speaker, and every latency measured from the
 * speech would look that much shorter).
 */
public final class Speaker {

    /** 100 ms frames unless the caller asks for others ({@link #frameMs(int)}). */
    static final int FRAME_MS = 100;

    private final SocketClient client;
    private final long startNanos;
    private double sentSeconds;
    private int frameMs = FRAME_MS;

    private Speaker(SocketClient client) {
        this.client = client;
        this.startNanos = System.nanoTime();
    }

    public static Speaker start(GatewayEndpoint gw, String room, String token, String format, int sampleRate,
                         String name) throws Exception {
        return start(gw, room, token, format, sampleRate, name, "en");
    }

    /** A speaker of {@code language} (an ISO code or {@code auto}). */
    public static Speaker start(GatewayEndpoint gw, String room, String token, String format, int sampleRate,
                         String name, String language) throws Exception {
        SocketClient c = SocketClient.connect(gw.ws("/v1/rooms/" + room + "/speak"), token);
        c.sendText(new JsonObject().put("type", "start").put("format", format).put("sampleRate", sampleRate)
                .put("channels", 1).put("language", language).put("speaker", name).encode());
        JsonObject reply = c.await(j -> "ready".equals(j.getString("type")) || "error".equals(j.getString("type")), 10_000);
        if ("error".equals(reply.getString("type"))) {
            c.close();
            throw new Refused(reply.getString("code"), reply.getString("message"));
        }
        return new Speaker(c);
    }

    /** The gateway answered the start with an error (its stable code). */
    public static final class Refused extends Exception {
        private final String code;

        public Refused(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public SocketClient client() {
        return client;
    }

    /** Seconds of audio sent so far: the stream's clock. */
    public double position() {
        return sentSeconds;
    }

    /**
     * PCM frames of {@code ms} from now on: 20 is what Parley's widget and WebRTC send, 100 a
     * common choice of WebSocket clients.
     */
    public Speaker frameMs(int ms) {
        if (ms < 10 || ms > 1000) {
            throw new IllegalArgumentException("frames of 10 to 1000 ms, not " + ms);
        }
        this.frameMs = ms;
        return this;
    }

    /** Sends s16le mono PCM in frames, each once its last sample is due in the stream. */
    public void sendPcm(byte[] pcm, int sampleRate) {
        int frameBytes = sampleRate * 2 * frameMs / 1000;
        for (int off = 0; off < pcm.length; off += frameBytes) {
            int n = Math.min(frameBytes, pcm.length - off);
            byte[] frame = new byte[n];
            System.arraycopy(pcm, off, frame, 0, n);
            double end = sentSeconds + n / (2.0 * sampleRate);
            paceTo(end);
            client.sendBinary(frame);
            sentSeconds = end;
        }
    }

    public void sendClip(WavFile wav) {
        sendPcm(wav.pcm(), wav.sampleRate());
    }

    public void sendSilence(double seconds, int sampleRate) {
        sendPcm(new byte[(int) (seconds * sampleRate) * 2], sampleRate);
    }

    /** Sends one pre-encoded packet lasting {@code seconds}, once its last sample is due. */
    public void sendPacket(byte[] packet, double seconds) {
        paceTo(sentSeconds + seconds);
        client.sendBinary(packet);
        sentSeconds += seconds;
    }

    /** Nanotime at which stream time {@code seconds} was (or will be) spoken. */
    public long nanosAt(double seconds) {
        return startNanos + (long) (seconds * 1e9);
    }

    private void paceTo(double seconds) {
        long due = nanosAt(seconds);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Sends stop and waits until the server confirms every final is out. */
    public void stop() throws Exception {
        client.sendText("{\"type\":\"stop\"}");
        client.await(j -> "stopped".equals(j.getString("type")), 60_000);
    }
}
