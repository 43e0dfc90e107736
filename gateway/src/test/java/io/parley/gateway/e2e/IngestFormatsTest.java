package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.parley.speech.audio.StreamingResampler;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The other ways audio arrives: 48 kHz PCM (resampled by the gateway) and Opus packets, one
 * per frame, as WebRTC and browsers' encoders produce them. The same clip must be recognised
 * about as well as from 16 kHz PCM.
 */
class IngestFormatsTest {

    static final String CLIP = "librivox_sense_and_sensibility_01_austen_64kb-0870.wav";
    static TestGateway gw;
    static EvaluationSet.Clip clip;
    static float[] at48k;

    @BeforeAll
    static void prepare() throws Exception {
        gw = TestGateway.shared();
        clip = EvaluationSet.locate().clip(CLIP);
        float[] at16k = WavFile.read(clip.wav()).monoSamples();
        at48k = new StreamingResampler(16000, 48000).process(at16k, 0, at16k.length);
    }

    private static byte[] s16le(float[] samples) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int s = Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f);
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }

    private static String recognise(String format, int rate, java.util.function.Consumer<Speaker> send) throws Exception {
        JsonObject room = gw.createRoom();
        SocketClient viewer = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions"),
                room.getString("viewerToken"));
        Speaker speaker = Speaker.start(gw, room.getString("room"), room.getString("speakerToken"), format, rate, "Ana");
        send.accept(speaker);
        speaker.stop();
        // The speaker's own last final comes before its "stopped": the server sends that only once
        // every final is stored and out.
        List<String> order = speaker.client().messages.stream().map(m -> m.json().getString("type")).toList();
        int stopped = order.indexOf("stopped");
        List<JsonObject> echoed = speaker.client().finals();
        assertTrue(!echoed.isEmpty() && stopped > 0, "finals echoed, then stopped: " + order);
        assertTrue(order.lastIndexOf("caption") < stopped, "nothing after stopped: " + order);
        viewer.await(j -> viewer.finals().size() >= echoed.size(), 10_000);
        return viewer.finals().stream().map(f -> f.getString("text")).collect(Collectors.joining(" "));
    }

    @Test
    void pcmAt48kHzIsResampledAndRecognised() throws Exception {
        String text = recognise("pcm_s16le", 48000, s -> s.sendPcm(s16le(at48k), 48000));
        double wer = WordErrorRate.of(clip.reference(), text).rate();
        assertTrue(wer < 0.5, "WER " + wer + ": " + text);
    }

    @Test
    void opusPacketsAreDecodedAndRecognised() throws Exception {
        OpusEncoder encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setBitrate(24000);
        short[] pcm = new short[at48k.length];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(Math.max(-1f, Math.min(1f, at48k[i])) * 32767f);
        }
        String text = recognise("opus", 48000, s -> {
            byte[] packet = new byte[1500];
            int frame = 960; // 20 ms, as WebRTC sends
            for (int off = 0; off + frame <= pcm.length; off += frame) {
                try {
                    int len = encoder.encode(pcm, off, frame, packet, 0, packet.length);
                    s.sendPacket(Arrays.copyOf(packet, len), 0.02);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        double wer = WordErrorRate.of(clip.reference(), text).rate();
        assertTrue(wer < 0.5, "WER " + wer + ": " + text);
    }
}
