package io.parley.speech.whisper.stream;

import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.TranscriptNormalizer;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecordingListener;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.Segment;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.decode.WordTiming;
import io.parley.speech.whisper.model.WhisperModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming engine on real speech (LibriVox clips of the test set) with the default model
 * (Whisper base, int8) and the real Silero VAD: what a live stream shows, what silence and noise
 * show (nothing), what a stream cut mid-word shows, and the guards that keep Whisper from
 * inventing text.
 */
class WhisperStreamingTest {

    static final int RATE = 16_000;
    static JvmAccelerator acc;
    static WhisperRecognizer recognizer;

    @BeforeAll
    static void load() {
        acc = new JvmAccelerator();
        recognizer = WhisperRecognizer.load(StreamingConfig.defaults(), acc);
    }

    @AfterAll
    static void close() {
        recognizer.close();
        acc.close();
    }

    static float[] clip(String name) throws Exception {
        return WavFile.read(EvaluationSet.locate().clip(name).wav()).monoSamples();
    }

    static String reference(String name) {
        return EvaluationSet.locate().clip(name).reference();
    }

    /** Streams {@code audio} in 100 ms frames at {@code speed} times real time, then ends the stream. */
    static RecordingListener stream(float[] audio, double speed) throws Exception {
        RecordingListener captions = new RecordingListener();
        RecognizerSession session = recognizer.open(new SessionOptions("en", "test"), captions);
        long t0 = System.nanoTime();
        for (int i = 0; i < audio.length; i += RATE / 10) {
            session.accept(audio, i, Math.min(RATE / 10, audio.length - i));
            long due = t0 + (long) ((i + RATE / 10) / (double) RATE / speed * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        session.finish();
        assertTrue(captions.ended.await(120, TimeUnit.SECONDS), "the session did not end");
        assertEquals(List.of(), captions.errors);
        return captions;
    }

    static float[] concat(float[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static float[] noise(double seconds, double amplitude, long seed) {
        Random r = new Random(seed);
        float[] out = new float[(int) (seconds * RATE)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (r.nextGaussian() * amplitude);
        }
        return out;
    }

    @Test
    void speechShowsPartialsThenAFinalWithWordTimes() throws Exception {
        String name = "librivox_sense_and_sensibility_01_austen_64kb-0890.wav";
        float[] speech = clip(name);
        // At real-time pace, as a microphone delivers it: partials need the session to catch up.
        RecordingListener c = stream(concat(new float[RATE / 2], speech, new float[RATE * 3 / 2]), 1.0);

        assertEquals(1, c.finals.size(), "one utterance, one final: " + c.finals);
        assertFalse(c.partials.isEmpty(), "partials while the speaker talks");
        assertTrue(c.events.indexOf("partial:0") < c.events.indexOf("final:0"), "partials come before their final: " + c.events);
        Utterance fin = c.finals.getFirst();
        WordErrorRate wer = WordErrorRate.of(reference(name), fin.text());
        assertTrue(wer.rate() <= 0.1, "final '" + fin.text() + "' against '" + reference(name) + "': " + wer);
        assertEquals("en", fin.language());
        assertEquals(TranscriptNormalizer.words(fin.text()).size(), TranscriptNormalizer.words(String.join(" ",
                fin.words().stream().map(RecognizedWord::word).toList())).size(), "words of the final: " + fin.words());
        double last = 0;
        double clipEnd = 0.5 + speech.length / (double) RATE;
        for (RecognizedWord w : fin.words()) {
            assertTrue(w.start() >= last - 1e-6 && w.end() >= w.start(), "word times in order: " + fin.words());
            assertTrue(w.start() >= 0.3 && w.end() <= clipEnd + 0.2, "word inside the speech: " + w);
            assertTrue(w.confidence() > 0 && w.confidence() <= 1, "confidence: " + w);
            last = w.start();
        }
        for (Utterance p : c.partials) {
            assertTrue(p.stableWords() <= p.words().size(), "stable words are words of the partial: " + p);
        }
    }

    @Test
    void streamsAtOnceShareTheModelAndEachGetsItsFinals() throws Exception {
        // Three streams at once through the one model runner (its lanes, finals ahead of
        // partials, batched steps): every stream's finals come, right, whatever the others do.
        // Admission is not what this studies (AdmissionTest does): on a slow host it would
        // rightly refuse the third stream, so it is out of the way here.
        recognizer.admitUpTo(Double.MAX_VALUE);
        String[] names = {"librivox_sense_and_sensibility_01_austen_64kb-0880.wav",
                "librivox_sense_and_sensibility_01_austen_64kb-0930.wav", "synthetic_espeak-ng_en_01.wav"};
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(names.length);
        try {
            List<java.util.concurrent.Future<RecordingListener>> runs = new java.util.ArrayList<>();
            for (String name : names) {
                float[] speech = clip(name);
                // Two utterances per stream, so that one stream's final overlaps another's partials.
                float[] audio = concat(new float[RATE / 2], speech, new float[RATE], speech, new float[RATE * 3 / 2]);
                runs.add(pool.submit(() -> stream(audio, 1.5)));
            }
            for (int i = 0; i < names.length; i++) {
                RecordingListener c = runs.get(i).get(180, TimeUnit.SECONDS);
                List<Utterance> finals = c.finals.stream().filter(u -> !u.text().isBlank()).toList();
                assertEquals(2, finals.size(), names[i] + ": " + c.finals);
                for (Utterance f : finals) {
                    WordErrorRate wer = WordErrorRate.of(reference(names[i]), f.text());
                    assertTrue(wer.rate() <= 0.2, names[i] + ": '" + f.text() + "': " + wer);
                }
            }
        } finally {
            pool.shutdownNow();
            recognizer.admitUpTo(Admission.MAX_FINAL_UTILISATION);
        }
    }

    @Test
    void silenceAndNoiseShowNothing() throws Exception {
        float[] audio = concat(new float[RATE * 4], noise(4, 0.003, 1), noise(4, 0.05, 2), new float[RATE]);
        RecordingListener c = stream(audio, 4.0);
        assertEquals(List.of(), c.partials);
        assertEquals(List.of(), c.finals);
    }

    @Test
    void aStreamCutMidWordEndsWithAFinalOfWhatWasSaid() throws Exception {
        String name = "librivox_sense_and_sensibility_01_austen_64kb-0870.wav";
        float[] speech = clip(name);
        // 0870 is read without pauses; 3.3 s falls inside "leisure" (the eighth word).
        float[] cut = Arrays.copyOf(speech, (int) (3.3 * RATE));
        RecordingListener c = stream(cut, 2.0);
        assertEquals(1, c.finals.size(), "the stream's end closes the utterance: " + c.finals);
        List<String> said = TranscriptNormalizer.words(c.text());
        List<String> ref = TranscriptNormalizer.words(reference(name));
        assertTrue(said.size() >= 5 && said.size() <= 9, "what was said before the cut: " + said);
        WordErrorRate wer = WordErrorRate.of(ref.subList(0, said.size()), said);
        assertTrue(wer.errors() <= 2, "'" + c.text() + "' is what the clip says up to the cut: " + wer);
        assertTrue(c.finals.getFirst().end() <= 3.4, "nothing after the cut: " + c.finals.getFirst());
    }

    @Test
    void noiseWithoutTheVadIsTakenForNoSpeechByWhisper() {
        // The VAD is one guard; Whisper's own no-speech probability is the other. Noise decoded
        // directly, bypassing the VAD, must be classed as silence by the decoder's rule.
        float[] audio = noise(8, 0.02, 3);
        var engine = recognizer.whisper();
        try (WhisperModel.Encoded enc = engine.encode(engine.features(audio), 0, audio.length / 160, 0)) {
            DecodingOptions options = DecodingOptions.defaults().withLanguage("en");
            DecodingResult result = engine.decoder().decode(enc, options, new Random(0));
            assertTrue(WindowDecoder.isSilence(result, options),
                    "noise decoded as '" + result.text() + "' (no-speech " + result.noSpeechProb() + ")");
        }
    }

    @Test
    void aDecoderLoopIsCutAndARepeatedSegmentDropped() throws Exception {
        // Real segments of a real clip, then the loop Whisper falls into on short windows: the
        // last segment over and over.
        var engine = recognizer.whisper();
        String name = "librivox_sense_and_sensibility_01_austen_64kb-0890.wav";
        var transcript = engine.transcribe(clip(name), io.parley.speech.whisper.decode.TranscribeOptions.defaults()
                .withDecoding(DecodingOptions.defaults().withLanguage("en")).withWordTimestamps(true));
        List<Segment> real = transcript.segments();
        assertFalse(real.isEmpty());
        List<Segment> looped = new ArrayList<>(real);
        Segment last = real.getLast();
        for (int k = 1; k <= 3; k++) {
            double shift = k * (last.end() - last.start());
            looped.add(new Segment(last.start() + shift, last.end() + shift, last.tokens(), last.text(),
                    last.words().stream().map(w -> new WordTiming(w.word(), w.start() + shift, w.end() + shift,
                            w.probability())).toList()));
        }
        List<Segment> cleaned = HallucinationGuard.clean(looped, engine.tokenizer(), 2.4);
        assertEquals(real.stream().map(Segment::text).toList(), cleaned.stream().map(Segment::text).toList());

        // A segment that compresses like a loop is dropped by the compression-ratio test.
        String loop = " the same thing".repeat(12);
        Segment spam = new Segment(6, 9, engine.tokenizer().encode(loop), loop, List.of());
        assertEquals(List.of(), HallucinationGuard.clean(List.of(spam), engine.tokenizer(), 2.4));
    }
}
