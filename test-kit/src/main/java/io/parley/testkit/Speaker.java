package io.parley.testkit;

import io.parley.speech.audio.WavFile;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.locks.LockSupport;

/** Streams audio to the speaker socket at real-time pace, as a microphone would. */
public final class Speaker {

    /** 100 ms frames. */
    static final int FRAME_MS = 100;

    private final SocketClient client;
    private final long startNanos;
    private double sentSeconds;

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

    /** Sends s16le mono PCM in 100 ms frames, each no earlier than its time in the stream. */
    public void sendPcm(byte[] pcm, int sampleRate) {
        int frameBytes = sampleRate * 2 * FRAME_MS / 1000;
        for (int off = 0; off < pcm.length; off += frameBytes) {
            int n = Math.min(frameBytes, pcm.length - off);
            byte[] frame = new byte[n];
            System.arraycopy(pcm, off, frame, 0, n);
            paceTo(sentSeconds);
            client.sendBinary(frame);
            sentSeconds += n / (2.0 * sampleRate);
        }
    }

    public void sendClip(WavFile wav) {
        sendPcm(wav.pcm(), wav.sampleRate());
    }

    public void sendSilence(double seconds, int sampleRate) {
        sendPcm(new byte[(int) (seconds * sampleRate) * 2], sampleRate);
    }

    /** Sends one pre-encoded packet lasting {@code seconds}, at its time. */
    public void sendPacket(byte[] packet, double seconds) {
        paceTo(sentSeconds);
        client.sendBinary(packet);
        sentSeconds += seconds;
    }

    /** Nanotime at which stream time {@code seconds} was (or will be) sent. */
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
