package io.parley.bench;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecognizerStats;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import io.parley.speech.sphinx.SphinxConfig;
import io.parley.speech.sphinx.SphinxRecognizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How Sphinx4's beams trade accuracy for speed: each configuration decodes every dev clip as
 * one stream (as fast as it can, after a warm-up pass), and reports its real-time factor
 * (thread CPU time over audio time) and word error rates. Run on one core
 * ({@code ./parley bench sphinx} pins it) to answer "does one stream keep up on one core?".
 */
final class SphinxTuningBench {

    record Candidate(String name, SphinxConfig config) {
    }

    static List<Candidate> candidates() {
        SphinxConfig d = SphinxConfig.defaults();
        return List.of(
                new Candidate("sphinx4-defaults", d.withBeams(20000, 1e-60, 200, 1e-40)),
                new Candidate("beam-8000", d.withBeams(8000, 1e-60, 40, 1e-40)),
                new Candidate("beam-5000", d.withBeams(5000, 1e-60, 40, 1e-40)),
                new Candidate("beam-4000", d.withBeams(4000, 1e-60, 30, 1e-40)),
                new Candidate("beam-3000", d.withBeams(3000, 1e-55, 30, 1e-35)),
                new Candidate("beam-2000", d.withBeams(2000, 1e-50, 20, 1e-30)));
    }

    static JsonObject run() throws Exception {
        List<EvaluationSet.Clip> clips = EvaluationSet.locate().clips();
        JsonArray results = new JsonArray();
        for (Candidate c : candidates()) {
            BenchOutput.progress("sphinx4 " + c.name() + ": loading");
            try (SphinxRecognizer recognizer = new SphinxRecognizer(c.config().withMaxSessions(1, 1))) {
                BenchOutput.progress("sphinx4 " + c.name() + ": warm-up pass");
                for (EvaluationSet.Clip clip : clips) {
                    decode(recognizer, clip);
                }
                RecognizerStats before = recognizer.stats();
                long wallStart = System.nanoTime();
                WordErrorRate librivox = WordErrorRate.zero();
                WordErrorRate vosk = WordErrorRate.zero();
                WordErrorRate synthetic = WordErrorRate.zero();
                for (EvaluationSet.Clip clip : clips) {
                    WordErrorRate w = WordErrorRate.of(clip.reference(), decode(recognizer, clip));
                    if (clip.synthetic()) {
                        synthetic = synthetic.plus(w);
                    } else if (clip.name().startsWith("librivox")) {
                        librivox = librivox.plus(w);
                    } else {
                        vosk = vosk.plus(w);
                    }
                }
                double wall = (System.nanoTime() - wallStart) / 1e9;
                RecognizerStats after = recognizer.stats();
                double audio = after.audioSeconds() - before.audioSeconds();
                double rtf = (after.computeSeconds() - before.computeSeconds()) / audio;
                BenchOutput.progress(String.format("sphinx4 %s: RTF %.3f (wall %.3f), LibriVox WER %.3f",
                        c.name(), rtf, wall / audio, librivox.rate()));
                results.add(new JsonObject().put("config", c.name())
                        .put("absoluteBeamWidth", c.config().absoluteBeamWidth())
                        .put("relativeBeamWidth", c.config().relativeBeamWidth())
                        .put("absoluteWordBeamWidth", c.config().absoluteWordBeamWidth())
                        .put("relativeWordBeamWidth", c.config().relativeWordBeamWidth())
                        .put("rtf", Percentiles.round(rtf, 3))
                        .put("wallRtf", Percentiles.round(wall / audio, 3))
                        .put("werLibrivox", Percentiles.round(librivox.rate(), 3))
                        .put("werVosk", Percentiles.round(vosk.rate(), 3))
                        .put("werSynthetic", Percentiles.round(synthetic.rate(), 3))
                        .put("librivoxWords", librivox.referenceWords()));
            }
        }
        return new JsonObject().put("benchmark", "sphinx-tuning")
                .put("what", "Sphinx4 one stream, dev clips decoded back to back after a warm-up pass, each clip's"
                        + " audio queued at once; rtf = decoder thread CPU seconds per audio second; wallRtf = elapsed"
                        + " seconds per audio second, which on one pinned core also pays for garbage collection and JIT")
                .put("environment", BenchOutput.environment()).put("results", results);
    }

    /** Decodes one clip as one stream and returns the text of its finals. */
    static String decode(SphinxRecognizer recognizer, EvaluationSet.Clip clip) throws Exception {
        float[] samples = WavFile.read(clip.wav()).monoSamples();
        StringBuilder text = new StringBuilder();
        CountDownLatch done = new CountDownLatch(1);
        RecognizerSession session = recognizer.open(new SessionOptions("en", "bench"), new RecognitionListener() {
            @Override
            public void onPartial(Utterance partial) {
            }

            @Override
            public void onFinal(Utterance fin) {
                text.append(fin.text()).append(' ');
            }

            @Override
            public void onError(RecognizerException error) {
                text.append("[error ").append(error.code()).append(']');
            }

            @Override
            public void onEnd() {
                done.countDown();
            }
        });
        for (int pos = 0; pos < samples.length; pos += 1600) {
            session.accept(samples, pos, Math.min(1600, samples.length - pos));
        }
        session.finish();
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("decoding " + clip.name() + " did not end");
        }
        return text.toString().strip();
    }

    private SphinxTuningBench() {
    }
}
