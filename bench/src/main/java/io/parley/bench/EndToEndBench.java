package io.parley.bench;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.recognizer.RecognizerStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The gateway end to end, as a user meets it: each dev clip is spoken into the speaker socket
 * at real-time pace, followed by a pause, while an English and a Spanish viewer watch.
 * Per clip: the recognizer's real-time factor; per final: the latency from the last audio
 * of its utterance to its arrival at each viewer.
 */
final class EndToEndBench {

    static final double PAUSE_SECONDS = 1.5;

    private EndToEndBench() {
    }

    /** {@code ./parley bench e2e [whisper|sphinx]}: the default engine, Whisper, unless Sphinx is named. */
    static JsonObject run(String engine) throws Exception {
        return measure(engine.equals("sphinx") ? BenchGateway.sphinx() : BenchGateway.whisper());
    }

    static JsonObject measure(BenchGateway gw) throws Exception {
        warmUp(gw);
        JsonArray perClip = new JsonArray();
        List<Double> lastWordToEnglish = new ArrayList<>();
        List<Double> lastWordToSpanish = new ArrayList<>();
        List<Double> clipEndToEnglish = new ArrayList<>();
        double audioTotal = 0, computeTotal = 0;
        WordErrorRate librivox = WordErrorRate.zero();
        WordErrorRate all = WordErrorRate.zero();
        for (EvaluationSet.Clip clip : EvaluationSet.locate().clips()) {
            BenchOutput.progress("streaming " + clip.name());
            WavFile wav = WavFile.read(clip.wav());
            JsonObject room = gw.createRoom();
            String captions = "/v1/rooms/" + room.getString("room") + "/captions?lang=";
            SocketClient en = SocketClient.connect(gw.ws(captions + "en"), room.getString("viewerToken"));
            SocketClient es = SocketClient.connect(gw.ws(captions + "es"), room.getString("viewerToken"));
            RecognizerStats before = gw.engines.recognizer().stats();
            Speaker speaker = Speaker.start(gw, room.getString("room"), room.getString("speakerToken"), "pcm_s16le", 16000, "Bench");
            speaker.sendClip(wav);
            double clipEnd = speaker.position();
            speaker.sendSilence(PAUSE_SECONDS, 16000);
            speaker.stop();
            RecognizerStats after = gw.engines.recognizer().stats();
            List<JsonObject> enFinals = nonEmpty(en.finals());
            es.await(j -> nonEmpty(es.finals()).size() >= enFinals.size(), 30_000);

            JsonArray finals = new JsonArray();
            for (SocketClient.Received r : en.messages) {
                JsonObject f = r.json();
                if (!"caption".equals(f.getString("type")) || !f.getBoolean("final") || f.getString("text").isBlank()) {
                    continue;
                }
                double fromLastWord = (r.nanos() - speaker.nanosAt(f.getDouble("end"))) / 1e9;
                lastWordToEnglish.add(fromLastWord);
                JsonObject row = new JsonObject().put("text", f.getString("text"))
                        .put("lastWordToFinalSeconds", Percentiles.round(fromLastWord, 3));
                for (SocketClient.Received s : es.messages) {
                    if ("caption".equals(s.json().getString("type")) && s.json().getLong("seq").equals(f.getLong("seq"))) {
                        double spanish = (s.nanos() - speaker.nanosAt(f.getDouble("end"))) / 1e9;
                        lastWordToSpanish.add(spanish);
                        row.put("lastWordToSpanishSeconds", Percentiles.round(spanish, 3));
                    }
                }
                finals.add(row);
            }
            SocketClient.Received lastFinal = en.messages.stream()
                    .filter(r -> "caption".equals(r.json().getString("type")) && r.json().getBoolean("final")
                            && !r.json().getString("text").isBlank())
                    .reduce((a, b) -> b).orElse(null);
            double clipEndLatency = lastFinal == null ? Double.NaN : (lastFinal.nanos() - speaker.nanosAt(clipEnd)) / 1e9;
            if (lastFinal != null) {
                clipEndToEnglish.add(clipEndLatency);
            }
            double audio = after.audioSeconds() - before.audioSeconds();
            double compute = after.computeSeconds() - before.computeSeconds();
            audioTotal += audio;
            computeTotal += compute;
            String hypothesis = enFinals.stream().map(f -> f.getString("text")).collect(Collectors.joining(" "));
            WordErrorRate wer = WordErrorRate.of(clip.reference(), hypothesis);
            all = all.plus(wer);
            if (clip.name().startsWith("librivox")) {
                librivox = librivox.plus(wer);
            }
            perClip.add(new JsonObject().put("clip", clip.name())
                    .put("audioSeconds", Percentiles.round(wav.durationSeconds(), 3))
                    .put("recognizerRtf", Percentiles.round(compute / audio, 3))
                    .put("lastAudioToFinalSeconds", Percentiles.round(clipEndLatency, 3))
                    .put("wer", Percentiles.round(wer.rate(), 3))
                    .put("hypothesis", hypothesis)
                    .put("finals", finals));
            en.close();
            es.close();
        }
        return new JsonObject().put("benchmark", "e2e")
                .put("what", "dev clips streamed at real-time pace through the speaker socket (pcm_s16le 16 kHz),"
                        + " each followed by " + PAUSE_SECONDS + " s of silence; latencies measured at viewer sockets in en"
                        + " and es; the endpoint waits " + (gw.engines.recognizer().engine().startsWith("whisper")
                        ? gw.config.whisper().vad().minSilenceMs() : gw.config.sphinx().endSilenceMs()) + " ms of silence;"
                        + " measured after a warm-up stream; recognizerRtf = decoder thread CPU seconds per second of"
                        + " audio streamed (clip and pause), for Whisper its share of the shared model's passes included")
                .put("environment", BenchOutput.environment())
                .put("engines", new JsonObject().put("speech", gw.engines.recognizer().engine())
                        .put("translation", "apertium en-es"))
                .put("recognizerRtf", Percentiles.round(computeTotal / audioTotal, 3))
                .put("librivoxWer", Percentiles.round(librivox.rate(), 3))
                .put("wer", Percentiles.round(all.rate(), 3))
                .put("lastAudioToFinalSeconds", latency(clipEndToEnglish))
                .put("lastWordToEnglishFinalSeconds", latency(lastWordToEnglish))
                .put("lastWordToSpanishFinalSeconds", latency(lastWordToSpanish))
                .put("clips", perClip);
    }

    /**
     * One clip through a room before anything is measured, so that the figures describe a
     * running server rather than the JIT compiler's first minutes.
     */
    private static void warmUp(BenchGateway gw) throws Exception {
        BenchOutput.progress("warm-up stream (not measured)");
        JsonObject room = gw.createRoom();
        Speaker speaker = Speaker.start(gw, room.getString("room"), room.getString("speakerToken"), "pcm_s16le", 16000, "Warm-up");
        for (EvaluationSet.Clip clip : EvaluationSet.locate().clips().subList(0, 6)) {
            speaker.sendClip(WavFile.read(clip.wav()));
        }
        speaker.stop();
    }

    private static JsonObject latency(List<Double> values) {
        return new JsonObject().put("p50", Percentiles.round(Percentiles.of(values, 50), 3))
                .put("p95", Percentiles.round(Percentiles.of(values, 95), 3))
                .put("n", values.size());
    }

    private static List<JsonObject> nonEmpty(List<JsonObject> finals) {
        return finals.stream().filter(f -> !f.getString("text").isBlank()).toList();
    }
}
