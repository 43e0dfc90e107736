package io.parley.bench;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorFactory;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.sphinx.SphinxConfig;
import io.parley.speech.sphinx.SphinxRecognizer;
import io.parley.speech.whisper.ModelLocator;
import io.parley.speech.whisper.WhisperEngine;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.Segment;
import io.parley.speech.whisper.decode.TranscribeOptions;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.stream.StreamingConfig;
import io.parley.speech.whisper.stream.WhisperRecognizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Whisper in Java against its peer and its predecessor, on the dev clips, in one run:
 * <ul>
 *   <li>offline transcription of every clip (greedy and beam 5; f32, f16 and int8), WER and
 *       time, beside faster-whisper on the same weights, clips, threads and beam, and Sphinx4;</li>
 *   <li>the encoder on the full 30 s window and on the audio's own length, and the WER of
 *       each;</li>
 *   <li>the decoder's time per token;</li>
 *   <li>live streams: real-time factor per stream at 1, 2, 4 and 8 concurrent streams on one
 *       model, resident memory, and the JVM and OpenCL backends;</li>
 *   <li>caption latency through the gateway: last audio of an utterance to its final at a viewer.</li>
 * </ul>
 * Times on these shared machines are noisy: each offline configuration runs twice and the faster
 * pass counts, and the comparison with the peer is a ratio taken in the same run.
 */
final class AsrBench {

    static final int REPS = 2;

    private AsrBench() {
    }

    /** One offline configuration of Parley's Whisper, and what it gave. */
    record Offline(String name, Precision precision, int beam, int blockFrames) {
        TranscribeOptions options() {
            return TranscribeOptions.defaults().withEncoderBlockFrames(blockFrames)
                    .withDecoding(DecodingOptions.defaults().withLanguage("en").withBeamSize(beam));
        }
    }

    static JsonObject run() throws Exception {
        List<EvaluationSet.Clip> clips = EvaluationSet.locate().clips();
        List<float[]> audio = new ArrayList<>();
        double audioSeconds = 0;
        for (EvaluationSet.Clip c : clips) {
            float[] a = WavFile.read(c.wav()).monoSamples();
            audio.add(a);
            audioSeconds += a.length / 16000.0;
        }
        JsonObject out = new JsonObject().put("benchmark", "asr")
                .put("what", "Whisper base (CTranslate2 weights) in Java on gpu-kernels beside faster-whisper on the same"
                        + " weights and Sphinx4; dev clips " + EvaluationSet.locate().root().getFileName()
                        + "; WER after the normaliser (case, punctuation, numerals = words); offline times are the"
                        + " faster of " + REPS + " passes over all clips after a warm-up, language given (en), 2 threads")
                .put("environment", BenchOutput.environment())
                .put("clips", clips.size()).put("audioSeconds", Percentiles.round(audioSeconds, 2));

        // ---- offline, Parley ----
        List<Offline> configs = List.of(
                new Offline("int8 greedy", Precision.INT8, 1, 0),
                new Offline("int8 beam5", Precision.INT8, 5, 0),
                new Offline("f16 greedy", Precision.F16, 1, 0),
                new Offline("f32 greedy", Precision.F32, 1, 0),
                new Offline("f32 beam5", Precision.F32, 5, 0),
                new Offline("int8 greedy, context = audio rounded up to 1 s", Precision.INT8, 1, 100),
                new Offline("int8 greedy, context = audio rounded up to 5 s", Precision.INT8, 1, 500));
        JsonArray parley = new JsonArray();
        JsonObject encoder = new JsonObject();
        JsonObject decoder = new JsonObject();
        try (Accelerator jvm = AcceleratorFactory.create(AcceleratorConfig.defaults())) {
            for (Precision p : List.of(Precision.INT8, Precision.F16, Precision.F32)) {
                BenchOutput.progress("Whisper base " + p + ": loading");
                try (WhisperEngine engine = WhisperEngine.load(ModelLocator.whisper("base"), jvm, p)) {
                    engine.transcribe(audio.getFirst(), configs.getFirst().options()); // warm-up
                    for (Offline c : configs) {
                        if (c.precision() == p) {
                            parley.add(offline(engine, c, clips, audio, c.blockFrames() == 0 ? REPS : 1));
                        }
                    }
                    if (p == Precision.INT8) {
                        encoder = encoderTimes(engine, audio);
                        decoder = decoderStep(engine, audio);
                    }
                }
            }
        }
        out.put("parley", parley).put("encoder", encoder).put("decoder", decoder);

        // ---- offline, the peer ----
        JsonObject peer = FasterWhisperPeer.run(ModelLocator.whisper("base"), clips, REPS,
                List.of("int8:1", "int8:5", "float32:1", "float32:5"));
        out.put("fasterWhisper", peer);
        out.put("comparison", compare(parley, peer));

        // ---- Sphinx4 ----
        out.put("sphinx", sphinx(clips));

        // ---- live streams ----
        JsonArray streams = new JsonArray();
        try (Accelerator jvm = AcceleratorFactory.create(AcceleratorConfig.defaults())) {
            for (int n : new int[]{1, 2, 4, 8}) {
                streams.add(StreamingLoad.run(jvm, StreamingConfig.defaults(), n, clips.subList(0, 6)));
            }
        }
        out.put("streams", streams);
        JsonObject backends = new JsonObject().put("jvm", streams.getJsonObject(0));
        try (Accelerator cl = AcceleratorFactory.create(new AcceleratorConfig("opencl", 0, ""))) {
            backends.put("opencl", StreamingLoad.run(cl, StreamingConfig.defaults(), 1, clips.subList(0, 2))
                    .put("device", cl.device()));
        } catch (RuntimeException e) {
            backends.put("opencl", new JsonObject().put("error", e.getMessage()));
        }
        out.put("backends", backends);

        // ---- through the gateway ----
        BenchOutput.progress("caption latency through the gateway (Whisper)");
        JsonObject e2e = EndToEndBench.measure(BenchGateway.whisper());
        out.put("gateway", new JsonObject()
                .put("what", "dev clips streamed at real-time pace through the speaker socket, 1.5 s pause after each,"
                        + " finals timed at an English viewer (see bench/results/e2e.json for the whole run)")
                .put("recognizerRtf", e2e.getValue("recognizerRtf"))
                .put("wer", e2e.getValue("wer"))
                .put("lastAudioToFinalSeconds", e2e.getValue("lastAudioToFinalSeconds"))
                .put("lastWordToEnglishFinalSeconds", e2e.getValue("lastWordToEnglishFinalSeconds"))
                .put("lastWordToSpanishFinalSeconds", e2e.getValue("lastWordToSpanishFinalSeconds")));
        return out;
    }

    static JsonObject offline(WhisperEngine engine, Offline c, List<EvaluationSet.Clip> clips, List<float[]> audio,
                              int reps) {
        double best = Double.MAX_VALUE;
        List<String> hyps = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            BenchOutput.progress("Whisper " + c.name() + ": pass " + (rep + 1) + "/" + reps);
            hyps.clear();
            long t0 = System.nanoTime();
            for (float[] a : audio) {
                hyps.add(engine.transcribe(a, c.options()).segments().stream().map(Segment::text)
                        .collect(Collectors.joining()).strip());
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return new JsonObject().put("config", c.name()).put("precision", c.precision().toString())
                .put("beam", c.beam()).put("encoderBlockFrames", c.blockFrames())
                .put("seconds", Percentiles.round(best, 3))
                .mergeIn(Scores.of(clips, hyps));
    }

    /** The encoder alone: the full window against the audio's own length, for a short and a long utterance. */
    static JsonObject encoderTimes(WhisperEngine engine, List<float[]> audio) {
        BenchOutput.progress("encoder times");
        WhisperModel model = engine.model();
        float[] features = engine.features(audio.getFirst());
        JsonObject out = new JsonObject().put("what", "int8, jvm; median of 5 runs; frames = 10 ms of audio each");
        for (int frames : new int[]{3000, 1500, 500, 200}) {
            float[] mel = engine.melWindow(features, 0, frames);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                model.encode(mel, frames).close();
                if (i > 0) {
                    times.add((System.nanoTime() - t0) / 1e9);
                }
            }
            out.put(frames == 3000 ? "full3000FramesSeconds" : "short" + frames + "FramesSeconds",
                    Percentiles.round(Percentiles.of(times, 50), 4));
        }
        return out;
    }

    /** Time per decoder step: greedy tokens of a full-window decode, cross attention over 1500 positions. */
    static JsonObject decoderStep(WhisperEngine engine, List<float[]> audio) {
        BenchOutput.progress("decoder step time");
        float[] features = engine.features(audio.getFirst());
        List<Double> perToken = new ArrayList<>();
        int tokens = 0;
        try (WhisperModel.Encoded enc = engine.encode(features, 0, audio.getFirst().length / 160, 0)) {
            DecodingOptions greedy = DecodingOptions.defaults().withLanguage("en").withTemperatures(List.of(0.0));
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                DecodingResult r = engine.decoder().decode(enc, greedy, new Random(0));
                double s = (System.nanoTime() - t0) / 1e9;
                tokens = r.tokens().length;
                if (i > 0) {
                    perToken.add(s / (tokens + 4)); // + the start-of-transcript prompt's steps
                }
            }
        }
        return new JsonObject().put("what", "int8, jvm; greedy decode of the first clip (full window), time per"
                        + " decoder step; median of 5")
                .put("tokens", tokens).put("secondsPerStep", Percentiles.round(Percentiles.of(perToken, 50), 5));
    }

    static JsonObject sphinx(List<EvaluationSet.Clip> clips) throws Exception {
        BenchOutput.progress("Sphinx4: loading and decoding the clips");
        try (SphinxRecognizer recognizer = new SphinxRecognizer(SphinxConfig.defaults().withMaxSessions(1, 1))) {
            SphinxTuningBench.decode(recognizer, clips.getFirst());
            List<String> hyps = new ArrayList<>();
            long t0 = System.nanoTime();
            for (EvaluationSet.Clip c : clips) {
                hyps.add(SphinxTuningBench.decode(recognizer, c));
            }
            return new JsonObject().put("engine", "sphinx4 (default configuration)")
                    .put("seconds", Percentiles.round((System.nanoTime() - t0) / 1e9, 3))
                    .mergeIn(Scores.of(clips, hyps));
        }
    }

    /** Parley's configurations beside the peer's with the same precision and beam. */
    static JsonArray compare(JsonArray parley, JsonObject peer) {
        JsonArray out = new JsonArray();
        for (Object o : peer.getJsonArray("configs")) {
            JsonObject p = (JsonObject) o;
            String precision = p.getString("computeType").equals("float32") ? "f32" : p.getString("computeType");
            for (Object q : parley) {
                JsonObject j = (JsonObject) q;
                if (j.getString("precision").equals(precision) && j.getInteger("beam").equals(p.getInteger("beam"))
                        && j.getInteger("encoderBlockFrames") == 0) {
                    out.add(new JsonObject().put("precision", precision).put("beam", p.getInteger("beam"))
                            .put("parleyWer", j.getDouble("wer")).put("fasterWhisperWer", p.getDouble("wer"))
                            .put("parleySeconds", j.getDouble("seconds")).put("fasterWhisperSeconds", p.getDouble("seconds"))
                            .put("speedRatio", Percentiles.round(p.getDouble("seconds") / j.getDouble("seconds"), 3)));
                }
            }
        }
        return out;
    }

    /** WER of hypotheses against the clips' references: all clips, the human recordings, the synthetic ones. */
    static final class Scores {
        static JsonObject of(List<EvaluationSet.Clip> clips, List<String> hyps) {
            WordErrorRate all = WordErrorRate.zero();
            WordErrorRate human = WordErrorRate.zero();
            WordErrorRate synthetic = WordErrorRate.zero();
            JsonArray perClip = new JsonArray();
            for (int i = 0; i < clips.size(); i++) {
                WordErrorRate w = WordErrorRate.of(clips.get(i).reference(), hyps.get(i));
                all = all.plus(w);
                if (clips.get(i).synthetic()) {
                    synthetic = synthetic.plus(w);
                } else {
                    human = human.plus(w);
                }
                perClip.add(new JsonObject().put("clip", clips.get(i).name()).put("errors", w.errors())
                        .put("hypothesis", hyps.get(i)));
            }
            return new JsonObject().put("wer", Percentiles.round(all.rate(), 4))
                    .put("werHuman", Percentiles.round(human.rate(), 4))
                    .put("werSynthetic", Percentiles.round(synthetic.rate(), 4))
                    .put("perClip", perClip);
        }

        private Scores() {
        }
    }
}
