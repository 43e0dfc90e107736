package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.gateway.engines.Engines;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recognizer fails in the middle of an utterance (Sphinx4, made to crash once): the speaker's
 * session is restarted on the audio since the last final, so the utterance still ends in a final,
 * about as good as without the crash, in the segment viewers already saw.
 */
class RecognizerFailureTest {

    @Test
    void aRecognizerThatFailsMidUtteranceIsRestartedAndLosesNoFinal() throws Exception {
        TestGateway shared = TestGateway.shared();
        FailingOnceRecognizer failing = new FailingOnceRecognizer(shared.engines.recognizer(), 4.0);
        TestGateway gw = shared.withEngines(new Engines(shared.engines.accelerator(), failing, shared.engines.translators()));
        try {
            JsonObject room = gw.createRoom();
            String id = room.getString("room");
            SocketClient viewer = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions"), room.getString("viewerToken"));
            viewer.await(j -> "ready".equals(j.getString("type")), 10_000);
            Speaker speaker = Speaker.start(gw, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
            EvaluationSet.Clip clip = EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0870.wav");
            speaker.sendClip(WavFile.read(clip.wav())); // 7 s of one sentence: the crash comes at 4 s
            speaker.sendSilence(1.5, 16000);
            speaker.stop();

            assertEquals(2, failing.sessionsOpened.get(), "the session was opened again after the crash");
            assertEquals(1, gw.server.metrics().recognizerRestarts());
            List<JsonObject> finals = viewer.finals().stream().filter(f -> !f.getString("text").isBlank()).toList();
            String text = finals.stream().map(f -> f.getString("text")).collect(Collectors.joining(" "));
            WordErrorRate wer = WordErrorRate.of(clip.reference(), text);
            // Sphinx4 scores 0.18 on this clip end to end; the bound is the suite's for Sphinx.
            assertTrue(wer.rate() <= 0.45, "the whole sentence despite the crash: '" + text + "' " + wer);
            assertTrue(text.contains("leisure") || text.contains("power"), "words after the crash: " + text);
            // Every segment a partial was shown for was closed by a final: no partial left hanging.
            Set<Long> partialSegments = viewer.ofType("caption").stream().filter(c -> !c.getBoolean("final"))
                    .map(c -> c.getLong("segment")).collect(Collectors.toSet());
            Set<Long> finalSegments = viewer.finals().stream().map(c -> c.getLong("segment")).collect(Collectors.toSet());
            assertTrue(finalSegments.containsAll(partialSegments), "partials " + partialSegments + ", finals " + finalSegments);
            // Times are on the stream's time line, not restarted at 0 by the new session.
            double lastEnd = finals.getLast().getDouble("end");
            assertTrue(lastEnd > 4.0, "the last final ends after the crash point: " + lastEnd);
        } finally {
            gw.server.close();
        }
    }
}
