package io.parley.bench;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.whisper.stream.PassStats;
import io.parley.testkit.GatewayProcess;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;
import io.parley.testkit.TempFolders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./parley bench live}: live density and latency of the Whisper gateway. For each
 * streaming policy and each N, N speakers at once, each in a room of its own with V viewers (half
 * as spoken, half in Spanish), stream the dev clips back to back at real-time pace with 2 s
 * pauses. Per clip, measured at the first as-spoken viewer of its room: the first caption after
 * the clip's speech starts, and the clip's last final after its speech ends (speech bounds from
 * the clip's own energy, not from Parley's VAD); the clip's finals against its reference (WER).
 * Per N: those latencies' p50/p95/max, WER, the recognizer's real-time factor and the gateway's
 * CPU per stream, partials shed, streams refused ({@code capacity_reached}), finals lost.
 */
final class LiveBench {

    static final double PAUSE_SECONDS = 2.0;

    record Options(List<Integer> speakers, int viewers, int rounds, List<String> policies) {
    }

    /** Where a clip lies in a speaker's stream, and its speech within it. */
    record Placed(int clip, double start, double speechStart, double speechEnd, double end) {
    }

    private LiveBench() {
    }

    static Options options(String[] args) {
        List<Integer> speakers = List.of(1, 2, 4, 8);
        int viewers = 10;
        int rounds = 1;
        List<String> policies = List.of("local-agreement", "align-att");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--speakers" -> speakers = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--viewers" -> viewers = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--policy" -> policies = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("bench live takes --speakers 1,2,4,8 --viewers N --rounds N"
                        + " --policy local-agreement,align-att, not " + args[i]);
            }
        }
        return new Options(speakers, viewers, rounds, policies);
    }

    static JsonObject run(String[] args) throws Exception {
        Options o = options(args);
        List<EvaluationSet.Clip> clips = EvaluationSet.locate().clips();
        List<WavFile> wavs = new ArrayList<>();
        List<double[]> speech = new ArrayList<>();
        for (EvaluationSet.Clip c : clips) {
            WavFile w = WavFile.read(c.wav());
            wavs.add(w);
            speech.add(speechBounds(w.monoSamples(), w.sampleRate()));
        }
        JsonObject out = new JsonObject().put("benchmark", "live")
                .put("what", "N speakers at once, each in its own room with V viewers (half as spoken, half in Spanish),"
                        + " each saying every dev clip in the same order (starts staggered by 1.3 s) at real-time pace with "
                        + PAUSE_SECONDS + " s pauses, in 20 ms frames each sent once its audio is spoken (as the widget does);"
                        + " the gateway in its own process (Whisper base int8, default store); per clip at an as-spoken"
                        + " viewer: first caption after its speech starts, its last final after its speech ends (speech"
                        + " bounds from the clip's energy: 20 dB below its peak and 10 dB above its noise floor); WER of"
                        + " each clip's finals against its reference")
                .put("environment", BenchOutput.environment()).put("viewersPerRoom", o.viewers());
        JsonObject byPolicy = new JsonObject();
        for (String policy : o.policies()) {
            int most = o.speakers().stream().mapToInt(i -> i).max().orElse(1);
            List<String> gatewayArgs = List.of("--data", TempFolders.create("parley-bench-live-").toString(),
                    "--asr", "whisper", "--asr-policy", policy, "--webrtc", "off",
                    "--max-streams", Integer.toString(Math.max(most, 8)),
                    "--limit", "maxConnectionsPerAddress=10000", "--limit", "httpRequestsPerSecond=100000",
                    "--limit", "httpRequestBurst=100000");
            BenchOutput.progress("starting the gateway (" + String.join(" ", gatewayArgs) + ")");
            // A 2 GB heap: eight streams each hold an encoded 30 s window (36 MB) while they decode.
            try (GatewayProcess gw = GatewayProcess.start(List.of("-Xmx2g"), gatewayArgs, null)) {
                BenchOutput.progress(policy + ": warm-up stream (not measured)");
                step(gw, 1, 2, clips.subList(0, 2), wavs, speech, 1);
                JsonArray steps = new JsonArray();
                for (int n : o.speakers()) {
                    BenchOutput.progress(policy + ": " + n + " speaker(s) x " + o.viewers() + " viewers, every clip "
                            + o.rounds() + " time(s)");
                    JsonObject s = step(gw, n, o.viewers(), clips, wavs, speech, o.rounds());
                    BenchOutput.progress(policy + ": " + s.getJsonObject("speechEndToFinalSeconds") + " wer " + s.getDouble("wer"));
                    steps.add(s);
                    Thread.sleep(3000); // the model's utilisation window empties between steps
                }
                byPolicy.put(policy, steps);
            }
        }
        return out.put("policies", byPolicy);
    }

    static JsonObject step(GatewayProcess gw, int speakers, int viewersPerRoom, List<EvaluationSet.Clip> clips,
                           List<WavFile> wavs, List<double[]> speech, int rounds) throws Exception {
        Map<String, Double> before = LoadBench.metrics(gw);
        List<JsonObject> rooms = new ArrayList<>();
        List<List<SocketClient>> viewers = LoadBench.openRooms(gw, speakers, viewersPerRoom, rooms);
        List<Speaker> streams = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(speakers, null)));
        List<List<Placed>> placed = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            placed.add(Collections.synchronizedList(new ArrayList<>()));
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(speakers);
        long t0 = System.nanoTime();
        for (int s = 0; s < speakers; s++) {
            int index = s;
            Thread.ofPlatform().name("bench-live-speaker-" + s).start(() -> {
                try {
                    Speaker speaker;
                    try {
                        speaker = Speaker.start(gw, rooms.get(index).getString("room"),
                                rooms.get(index).getString("speakerToken"), "pcm_s16le", 16000, "Speaker " + index);
                    } catch (Speaker.Refused e) {
                        refused.incrementAndGet();
                        failures.add("speaker " + index + " refused: " + e.getMessage());
                        return;
                    }
                    // 20 ms frames, each sent once its audio has been spoken, as Parley's widget
                    // and WebRTC send them: latency is counted from the speech, not from the frame.
                    speaker.frameMs(20);
                    streams.set(index, speaker);
                    // Every speaker says every clip, in the same order, so that WER is over the same
                    // speech for every N; staggered by 1.3 s each, so that utterances do not line
                    // up by construction.
                    speaker.sendSilence(1.3 * index, 16000);
                    for (int c = 0; c < rounds * clips.size(); c++) {
                        int clip = c % clips.size();
                        double at = speaker.position();
                        speaker.sendClip(wavs.get(clip));
                        double end = speaker.position();
                        placed.get(index).add(new Placed(clip, at, at + speech.get(clip)[0], at + speech.get(clip)[1], end));
                        speaker.sendSilence(PAUSE_SECONDS, 16000);
                    }
                    speaker.stop();
                } catch (Throwable e) {
                    failures.add("speaker " + index + ": " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        // The model's utilisation, sampled every second while the speakers speak.
        List<Double> utilisation = new ArrayList<>();
        while (!done.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            utilisation.add(LoadBench.metrics(gw).getOrDefault("parley_recognizer_model_utilisation", Double.NaN));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> after = LoadBench.metrics(gw);

        List<Double> firstCaption = new ArrayList<>();
        List<Double> toFinal = new ArrayList<>();
        List<JsonObject> perClip = new ArrayList<>();
        WordErrorRate wer = WordErrorRate.zero();
        int clipsWithoutFinal = 0;
        int lost = 0;
        int stored = 0;
        for (int s = 0; s < speakers; s++) {
            Speaker speaker = streams.get(s);
            String id = rooms.get(s).getString("room");
            String token = rooms.get(s).getString("viewerToken");
            var original = LoadBench.seqs(gw.send("GET", "/v1/rooms/" + id + "/transcript?format=json", null, token));
            var spanish = LoadBench.seqs(gw.send("GET", "/v1/rooms/" + id + "/transcript?format=json&lang=es", null, token));
            stored += original.size() + spanish.size();
            for (int v = 0; v < viewersPerRoom; v++) {
                SocketClient viewer = viewers.get(s).get(v);
                var want = v % 2 == 0 ? original : spanish;
                long wait = System.nanoTime() + 60_000_000_000L;
                while (!LoadBench.received(viewer).containsAll(want) && System.nanoTime() < wait) {
                    Thread.sleep(100);
                }
                var missing = new java.util.HashSet<>(want);
                missing.removeAll(LoadBench.received(viewer));
                lost += missing.size();
            }
            if (speaker == null) {
                continue;
            }
            List<SocketClient.Received> seen = viewers.get(s).getFirst().messages;
            for (Placed p : placed.get(s)) {
                long firstNanos = Long.MAX_VALUE;
                long lastFinalNanos = -1;
                StringBuilder text = new StringBuilder();
                for (SocketClient.Received r : seen) {
                    JsonObject f = r.json();
                    if (!"caption".equals(f.getString("type")) || f.getString("text", "").isBlank()) {
                        continue;
                    }
                    double mid = (f.getDouble("start") + f.getDouble("end")) / 2;
                    if (mid < p.start() || mid >= p.end() + PAUSE_SECONDS) {
                        continue;
                    }
                    firstNanos = Math.min(firstNanos, r.nanos());
                    if (f.getBoolean("final")) {
                        lastFinalNanos = Math.max(lastFinalNanos, r.nanos());
                        text.append(' ').append(f.getString("text"));
                    }
                }
                JsonObject clip = new JsonObject().put("speaker", s).put("clip", clips.get(p.clip()).name())
                        .put("atSeconds", Percentiles.round(p.start(), 1));
                if (firstNanos != Long.MAX_VALUE) {
                    double first = (firstNanos - speaker.nanosAt(p.speechStart())) / 1e9;
                    firstCaption.add(first);
                    clip.put("firstCaptionSeconds", Percentiles.round(first, 3));
                }
                if (lastFinalNanos < 0) {
                    clipsWithoutFinal++;
                } else {
                    double latency = (lastFinalNanos - speaker.nanosAt(p.speechEnd())) / 1e9;
                    toFinal.add(latency);
                    perClip.add(clip.put("speechEndToFinalSeconds", Percentiles.round(latency, 3)));
                }
                wer = wer.plus(WordErrorRate.of(clips.get(p.clip()).reference(), text.toString()));
            }
        }
        viewers.forEach(vs -> vs.forEach(SocketClient::close));
        int running = speakers - refused.get();
        double audio = LoadBench.delta(before, after, "parley_recognizer_audio_seconds");
        double rtfAfter = after.getOrDefault("parley_recognizer_realtime_factor", 0.0);
        double rtfBefore = before.getOrDefault("parley_recognizer_realtime_factor", 0.0);
        double compute = rtfAfter * after.getOrDefault("parley_recognizer_audio_seconds", 0.0)
                - rtfBefore * before.getOrDefault("parley_recognizer_audio_seconds", 0.0);
        return new JsonObject().put("speakers", speakers).put("streamsRunning", running).put("streamsRefused", refused.get())
                .put("seconds", Percentiles.round(wall, 1))
                .put("clips", toFinal.size() + clipsWithoutFinal).put("clipsWithoutFinal", clipsWithoutFinal)
                .put("firstCaptionAfterSpeechStartSeconds", summary(firstCaption))
                .put("speechEndToFinalSeconds", summary(toFinal))
                .put("wer", Percentiles.round(wer.rate(), 4))
                .put("recognizerRealtimeFactorPerStream", audio > 0 ? Percentiles.round(compute / audio, 3) : null)
                .put("gatewayCpuCoresPerStream", running > 0
                        ? Percentiles.round(LoadBench.delta(before, after, "parley_process_cpu_seconds") / wall / running, 3) : null)
                .put("modelUtilisation", new JsonObject()
                        .put("mean", Percentiles.round(utilisation.stream().mapToDouble(d -> d).average().orElse(Double.NaN), 3))
                        .put("p95", Percentiles.round(Percentiles.of(utilisation, 95), 3)))
                .put("partialsShed", Math.round(LoadBench.delta(before, after, "parley_recognizer_partials_shed_total")))
                .put("passes", passes(before, after))
                .put("partialsSent", Math.round(LoadBench.delta(before, after, "parley_captions_sent_total{type=\"partial\"}")))
                .put("finalsStored", stored).put("finalsLost", lost)
                .put("slowestFinals", new JsonArray(perClip.stream().sorted((a, b) -> Double.compare(
                        b.getDouble("speechEndToFinalSeconds"), a.getDouble("speechEndToFinalSeconds"))).limit(3).toList()))
                .put("slowestFirstCaptions", new JsonArray(perClip.stream().filter(c -> c.containsKey("firstCaptionSeconds"))
                        .sorted((a, b) -> Double.compare(b.getDouble("firstCaptionSeconds"), a.getDouble("firstCaptionSeconds")))
                        .limit(3).toList()))
                .put("failures", new JsonArray(failures));
    }

    /**
     * The recognizer's passes in the step, by kind: how many, their wall seconds (waiting
     * included), and those seconds by phase (features, encode, decode, align, english).
     */
    static JsonObject passes(Map<String, Double> before, Map<String, Double> after) {
        JsonObject out = new JsonObject();
        for (PassStats.Kind kind : PassStats.Kind.values()) {
            String label = "{kind=\"" + kind.label() + "\"}";
            JsonObject phases = new JsonObject();
            for (PassStats.Phase phase : PassStats.Phase.values()) {
                phases.put(phase.label(), Percentiles.round(LoadBench.delta(before, after,
                        "parley_recognizer_pass_phase_seconds_total{kind=\"" + kind.label() + "\",phase=\""
                                + phase.label() + "\"}"), 2));
            }
            out.put(kind.label(), new JsonObject()
                    .put("count", Math.round(LoadBench.delta(before, after, "parley_recognizer_passes_total" + label)))
                    .put("seconds", Percentiles.round(LoadBench.delta(before, after, "parley_recognizer_pass_seconds_total" + label), 2))
                    .put("phases", phases));
        }
        return out;
    }

    static JsonObject summary(List<Double> values) {
        return new JsonObject().put("p50", Percentiles.round(Percentiles.of(values, 50), 3))
                .put("p95", Percentiles.round(Percentiles.of(values, 95), 3))
                .put("max", Percentiles.round(values.stream().mapToDouble(d -> d).max().orElse(Double.NaN), 3))
                .put("mean", Percentiles.round(values.stream().mapToDouble(d -> d).average().orElse(Double.NaN), 3))
                .put("n", values.size());
    }

    /**
     * Where speech starts and ends in a clip, in seconds: the first and last 10 ms frame louder
     * than both 20 dB below the clip's loudest frame and 10 dB above its noise floor (its 10th
     * percentile frame). Conservative on purpose: a soft final consonant may fall below it, which
     * makes the measured latency longer, never shorter, than the listener's.
     */
    static double[] speechBounds(float[] samples, int rate) {
        int frame = rate / 100;
        int frames = samples.length / frame;
        double[] rms = new double[frames];
        double peak = 0;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                sum += samples[i] * samples[i];
            }
            rms[f] = Math.sqrt(sum / frame);
            peak = Math.max(peak, rms[f]);
        }
        double[] sorted = rms.clone();
        java.util.Arrays.sort(sorted);
        double floor = sorted[frames / 10];
        double threshold = Math.max(Math.max(peak * Math.pow(10, -20 / 20.0), floor * Math.pow(10, 10 / 20.0)), 1e-4);
        int first = 0;
        while (first < frames - 1 && rms[first] < threshold) {
            first++;
        }
        int last = frames - 1;
        while (last > first && rms[last] < threshold) {
            last--;
        }
        return new double[]{first / 100.0, (last + 1) / 100.0};
    }
}
