package io.parley.speech.sphinx;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecordingListener;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Sphinx4 engine on real speech from the shared evaluation set. */
class SphinxRecognizerTest {

    private static SphinxRecognizer recognizer;

    @BeforeAll
    static void load() {
        recognizer = new SphinxRecognizer(SphinxConfig.defaults().withMaxSessions(2, 1));
    }

    @AfterAll
    static void close() {
        recognizer.close();
    }

    private static RecordingListener recognise(EvaluationSet.Clip clip, int chunkSamples) throws Exception {
        float[] samples = WavFile.read(clip.wav()).monoSamples();
        RecordingListener rec = new RecordingListener();
        RecognizerSession session = recognizer.open(new SessionOptions("en", clip.name()), rec);
        for (int pos = 0; pos < samples.length; pos += chunkSamples) {
            session.accept(samples, pos, Math.min(chunkSamples, samples.length - pos));
        }
        session.finish();
        assertTrue(rec.ended.await(120, TimeUnit.SECONDS), "session ended");
        return rec;
    }

    @Test
    void transcribesHumanSpeechWithPartialsBeforeTheFinalAndWordTimes() throws Exception {
        EvaluationSet.Clip clip = EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0870.wav");
        RecordingListener rec = recognise(clip, 1600);

        assertFalse(rec.finals.isEmpty(), "at least one final");
        WordErrorRate wer = WordErrorRate.of(clip.reference(), rec.text());
        assertTrue(wer.rate() < 0.5, "WER " + wer.rate() + " for: " + rec.text());

        // Every utterance that had partials reports them before its final.
        for (Utterance fin : rec.finals) {
            int finalAt = rec.events.indexOf("final:" + fin.index());
            int firstPartial = rec.events.indexOf("partial:" + fin.index());
            if (firstPartial >= 0) {
                assertTrue(firstPartial < finalAt);
            }
        }
        assertFalse(rec.partials.isEmpty(), "a 7-second utterance produces partials");

        // Word times lie inside the clip and run forwards; confidences are probabilities.
        double duration = WavFile.read(clip.wav()).durationSeconds();
        double last = 0;
        for (Utterance fin : rec.finals) {
            assertFalse(fin.words().isEmpty());
            for (var w : fin.words()) {
                assertTrue(w.start() >= last - 1e-9 && w.end() >= w.start() && w.end() <= duration + 0.05,
                        "word " + w + " within the clip and in order");
                assertTrue(w.confidence() >= 0 && w.confidence() <= 1, "confidence of " + w);
                last = w.start();
            }
        }
    }

    @Test
    void aStreamCutMidUtteranceStillEndsWithAFinal() throws Exception {
        EvaluationSet.Clip clip = EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0920.wav");
        float[] samples = WavFile.read(clip.wav()).monoSamples();
        RecordingListener rec = new RecordingListener();
        RecognizerSession session = recognizer.open(new SessionOptions("en", "cut"), rec);
        int half = samples.length / 2; // mid-sentence, no pause before the cut
        session.accept(samples, 0, half);
        session.finish();
        assertTrue(rec.ended.await(60, TimeUnit.SECONDS));
        assertFalse(rec.finals.isEmpty(), "the words heard before the cut are not lost");
        assertTrue(rec.text().split(" ").length >= 3, rec.text());
    }

    @Test
    void aDecoderWhoseFirstStreamWasSilentStillDecodesTheNext() throws Exception {
        // A fresh decoder, on its own, so that its very first stream is silence. (Sphinx4's own
        // LiveCMN left such a decoder returning end-of-stream for every later stream.)
        try (SphinxRecognizer fresh = new SphinxRecognizer(SphinxConfig.defaults().withMaxSessions(1, 1))) {
            RecordingListener silent = new RecordingListener();
            RecognizerSession s1 = fresh.open(new SessionOptions("en", "silence"), silent);
            float[] silence = new float[16000 * 5];
            s1.accept(silence, 0, silence.length);
            s1.finish();
            assertTrue(silent.ended.await(60, TimeUnit.SECONDS));
            assertTrue(silent.finals.isEmpty(), "silence is not words: " + silent.finals);

            EvaluationSet.Clip clip = EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0880.wav");
            float[] speech = WavFile.read(clip.wav()).monoSamples();
            RecordingListener next = new RecordingListener();
            RecognizerSession s2 = fresh.open(new SessionOptions("en", "speech"), next);
            s2.accept(speech, 0, speech.length);
            s2.finish();
            assertTrue(next.ended.await(60, TimeUnit.SECONDS));
            assertTrue(WordErrorRate.of(clip.reference(), next.text()).rate() < 0.6, "decoded: " + next.text());
        }
    }

    @Test
    void refusesLanguagesItCannotRecognise() {
        RecognizerException e = assertThrows(RecognizerException.class,
                () -> recognizer.open(new SessionOptions("es", "x"), new RecordingListener()));
        assertEquals("unsupported_language", e.code());
    }
}
