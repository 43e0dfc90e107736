package io.parley.bench;

import io.parley.testkit.GatewayProcess;
import io.parley.testkit.MetricsText;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;
import io.parley.testkit.TempFolders;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./parley bench load}: the gateway as operators run it (its own process, the default
 * engines, the SQLite store) under S speakers, each in a room of its own with V viewers (half
 * reading as spoken, half in Spanish), streaming the dev clips back to back at real-time pace
 * with 2 s pauses, for a sweep of S. Per step: streams held (kept within Ofcom's 3 s), latency
 * from each utterance's last word to its final at the viewers (p50/p95), finals lost counted
 * against the store's transcripts (must be 0), partials dropped, the gateway's CPU and memory.
 * {@code --minutes N}: a soak, one long meeting, sampling the heap after a full GC to show it
 * reaching a plateau.
 */
final class LoadBench {

    static final double PAUSE_SECONDS = 2.0;
    /** Ofcom's bound for live subtitles: a stream whose finals come later at p95 is not held. */
    static final double HELD_P95_SECONDS = 3.0;

    record Options(List<Integer> speakers, int viewers, int seconds, int soakMinutes, String asr) {
    }

    private LoadBench() {
    }

    static Options options(String[] args) {
        List<Integer> speakers = List.of(1, 2, 4);
        int viewers = 10;
        int seconds = 60;
        int minutes = 0;
        String asr = "whisper";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--speakers" -> speakers = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--viewers" -> viewers = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--asr" -> asr = args[++i];
                default -> throw new IllegalArgumentException("bench load takes --speakers 1,2,4 --viewers N --seconds N"
                        + " --minutes N (a soak) --asr whisper|sphinx, not " + args[i]);
            }
        }
        return new Options(speakers, viewers, seconds, minutes, asr);
    }

    static JsonObject run(String[] args) throws Exception {
        Options o = options(args);
        int maxSpeakers = o.soakMinutes() > 0 ? o.speakers().getFirst() : o.speakers().stream().mapToInt(i -> i).max().orElse(1);
        List<String> gatewayArgs = List.of("--data", TempFolders.create("parley-bench-load-").toString(), "--asr", o.asr(),
                "--webrtc", "off", "--max-streams", Integer.toString(maxSpeakers),
                // Every client is on this machine: the per-address limits are not what is measured.
                "--limit", "maxConnectionsPerAddress=10000", "--limit", "httpRequestsPerSecond=100000",
                "--limit", "httpRequestBurst=100000");
        BenchOutput.progress("starting the gateway (" + String.join(" ", gatewayArgs) + ")");
        List<WavFile> clips = new ArrayList<>();
        for (EvaluationSet.Clip c : EvaluationSet.locate().clips()) {
            clips.add(WavFile.read(c.wav()));
        }
        try (GatewayProcess gw = GatewayProcess.start(gatewayArgs)) {
            BenchOutput.progress("warm-up stream (not measured)");
            step(gw, 1, 2, clips, 20, false);
            JsonObject out = new JsonObject().put("benchmark", o.soakMinutes() > 0 ? "load-soak" : "load")
                    .put("what", "S speakers, each in its own room with V viewers (half as spoken, half in Spanish),"
                            + " streaming the dev clips back to back at real-time pace with " + PAUSE_SECONDS + " s pauses;"
                            + " the gateway in its own process with its default store (SQLite, synchronous=FULL);"
                            + " latency from each utterance's last word to its final at each viewer; finals lost ="
                            + " finals in the store's transcript that a viewer of that language never received;"
                            + " a stream is held when its finals' p95 latency is under " + HELD_P95_SECONDS + " s (Ofcom)")
                    .put("environment", BenchOutput.environment())
                    .put("engine", o.asr()).put("viewersPerRoom", o.viewers());
            if (o.soakMinutes() > 0) {
                out.put("soak", step(gw, o.speakers().getFirst(), o.viewers(), clips, o.soakMinutes() * 60, true));
            } else {
                JsonArray steps = new JsonArray();
                for (int s : o.speakers()) {
                    BenchOutput.progress(s + " speaker(s) x " + o.viewers() + " viewers for " + o.seconds() + " s");
                    steps.add(step(gw, s, o.viewers(), clips, o.seconds(), false));
                }
                out.put("steps", steps);
            }
            return out;
        }
    }

    /** One meeting per speaker, all at once, for {@code seconds}; what it cost and what arrived. */
    static JsonObject step(GatewayProcess gw, int speakers, int viewersPerRoom, List<WavFile> clips, int seconds, boolean soak)
            throws Exception {
        Map<String, Double> before = metrics(gw);
        long t0 = System.nanoTime();
        List<JsonObject> rooms = new ArrayList<>();
        List<List<SocketClient>> viewers = openRooms(gw, speakers, viewersPerRoom, rooms);
        List<Speaker> streams = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(speakers, null)));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<JsonObject> memory = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(speakers);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        for (int s = 0; s < speakers; s++) {
            int index = s;
            Thread.ofPlatform().name("bench-speaker-" + s).start(() -> {
                try {
                    // Staggered by a clip, so that utterances do not line up by construction.
                    Speaker speaker = Speaker.start(gw, rooms.get(index).getString("room"),
                            rooms.get(index).getString("speakerToken"), "pcm_s16le", 16000, "Speaker " + index);
                    streams.set(index, speaker);
                    for (int c = index; System.nanoTime() < deadline; c++) {
                        speaker.sendClip(clips.get(c % clips.size()));
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
        if (soak) {
            while (done.getCount() > 0) {
                memory.add(memorySample(gw, (System.nanoTime() - t0) / 1e9));
                Thread.sleep(15_000);
            }
        }
        done.await();
        double wall = (System.nanoTime() - t0) / 1e9;

        // Every final the store has must reach every viewer of its language.
        int lost = 0;
        int stored = 0;
        List<Double> asSpoken = new ArrayList<>();
        List<Double> translated = new ArrayList<>();
        List<JsonObject> perStream = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            String id = rooms.get(s).getString("room");
            String token = rooms.get(s).getString("viewerToken");
            Set<Long> original = seqs(gw.send("GET", "/v1/rooms/" + id + "/transcript?format=json", null, token));
            Set<Long> spanish = seqs(gw.send("GET", "/v1/rooms/" + id + "/transcript?format=json&lang=es", null, token));
            stored += original.size() + spanish.size();
            Speaker speaker = streams.get(s);
            List<Double> mine = new ArrayList<>();
            for (int v = 0; v < viewersPerRoom; v++) {
                SocketClient viewer = viewers.get(s).get(v);
                Set<Long> want = v % 2 == 0 ? original : spanish;
                long wait = System.nanoTime() + 60_000_000_000L;
                while (!received(viewer).containsAll(want) && System.nanoTime() < wait) {
                    Thread.sleep(100);
                }
                Set<Long> missing = new HashSet<>(want);
                missing.removeAll(received(viewer));
                lost += missing.size();
                if (speaker != null) {
                    for (SocketClient.Received r : viewer.messages) {
                        JsonObject f = r.json();
                        if ("caption".equals(f.getString("type")) && f.getBoolean("final") && !f.getString("text").isBlank()) {
                            double latency = (r.nanos() - speaker.nanosAt(f.getDouble("end"))) / 1e9;
                            (v % 2 == 0 ? asSpoken : translated).add(latency);
                            mine.add(latency);
                        }
                    }
                }
                viewer.close();
            }
            perStream.add(new JsonObject().put("room", id).put("finals", original.size())
                    .put("lastWordToFinalSeconds", latency(mine)));
        }
        Map<String, Double> after = metrics(gw);
        long held = perStream.stream().filter(p -> p.getJsonObject("lastWordToFinalSeconds").getDouble("p95", 99.0)
                < HELD_P95_SECONDS).count();
        JsonObject result = new JsonObject().put("speakers", speakers).put("viewers", speakers * viewersPerRoom)
                .put("seconds", Percentiles.round(wall, 1))
                .put("streamsHeld", held)
                .put("lastWordToFinalSeconds", new JsonObject().put("asSpoken", latency(asSpoken)).put("spanish", latency(translated)))
                .put("finalsStored", stored)
                .put("finalsLost", lost)
                .put("partialsDropped", Math.round(delta(before, after, "parley_partials_skipped_total")))
                .put("partialsSent", Math.round(delta(before, after, "parley_captions_sent_total{type=\"partial\"}")))
                .put("gatewayCpuCores", Percentiles.round(delta(before, after, "parley_process_cpu_seconds") / wall, 2))
                .put("recognizerRealtimeFactor", Percentiles.round(after.getOrDefault("parley_recognizer_realtime_factor", Double.NaN), 3))
                .put("residentMiB", Percentiles.round(after.getOrDefault("parley_process_resident_bytes", 0.0) / 1048576, 1))
                .put("heapUsedMiB", Percentiles.round(after.getOrDefault("parley_jvm_heap_used_bytes", 0.0) / 1048576, 1))
                .put("failures", new JsonArray(failures))
                .put("streams", new JsonArray(perStream));
        if (soak) {
            result.put("memory", new JsonArray(memory)).put("plateau", plateau(memory));
        }
        return result;
    }

    /**
     * Creates {@code speakers} rooms (added to {@code rooms}) and connects {@code viewersPerRoom}
     * viewers to each, even ones as spoken and odd ones in Spanish; returns them room by room.
     */
    static List<List<SocketClient>> openRooms(GatewayProcess gw, int speakers, int viewersPerRoom, List<JsonObject> rooms)
            throws Exception {
        List<List<SocketClient>> viewers = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            JsonObject room = gw.createRoom(null);
            rooms.add(room);
            List<SocketClient> vs = new ArrayList<>();
            for (int v = 0; v < viewersPerRoom; v++) {
                String lang = v % 2 == 0 ? "" : "?lang=es";
                vs.add(SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions" + lang),
                        room.getString("viewerToken")));
            }
            viewers.add(vs);
        }
        return viewers;
    }

    /** The heap after a full GC (asked of the gateway with jcmd) and resident memory, at one moment. */
    static JsonObject memorySample(GatewayProcess gw, double atSeconds) throws Exception {
        String jcmd = ProcessHandle.current().info().command().map(j -> j.replaceAll("java$", "jcmd")).orElse("jcmd");
        new ProcessBuilder(jcmd, Long.toString(gw.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Map<String, Double> m = metrics(gw);
        return new JsonObject().put("atSeconds", Percentiles.round(atSeconds, 0))
                .put("heapAfterGcMiB", Percentiles.round(m.getOrDefault("parley_jvm_heap_used_bytes", 0.0) / 1048576, 1))
                .put("residentMiB", Percentiles.round(m.getOrDefault("parley_process_resident_bytes", 0.0) / 1048576, 1));
    }

    /** Whether the heap stopped growing: the last third's highest sample against the middle third's. */
    static JsonObject plateau(List<JsonObject> samples) {
        if (samples.size() < 6) {
            return new JsonObject().put("note", "too short a soak to tell");
        }
        int third = samples.size() / 3;
        double middle = samples.subList(third, 2 * third).stream().mapToDouble(j -> j.getDouble("heapAfterGcMiB")).max().orElse(0);
        double last = samples.subList(2 * third, samples.size()).stream().mapToDouble(j -> j.getDouble("heapAfterGcMiB")).max().orElse(0);
        return new JsonObject().put("middleThirdMaxHeapMiB", middle).put("lastThirdMaxHeapMiB", last)
                .put("growthMiB", Percentiles.round(last - middle, 1));
    }

    static Set<Long> seqs(HttpResponse<String> transcript) {
        Set<Long> out = new HashSet<>();
        JsonArray captions = new JsonObject(transcript.body()).getJsonArray("captions");
        for (int i = 0; i < captions.size(); i++) {
            out.add(captions.getJsonObject(i).getLong("seq"));
        }
        return out;
    }

    static Set<Long> received(SocketClient viewer) {
        Set<Long> out = new HashSet<>();
        for (JsonObject f : viewer.finals()) {
            if (!f.getString("text").isBlank()) {
                out.add(f.getLong("seq"));
            }
        }
        return out;
    }

    /** The gateway's /metrics as name{labels} -> value. */
    static Map<String, Double> metrics(GatewayProcess gw) throws Exception {
        return MetricsText.parse(gw.send("GET", "/metrics", null, null).body());
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    static JsonObject latency(List<Double> values) {
        return new JsonObject().put("p50", Percentiles.round(Percentiles.of(values, 50), 3))
                .put("p95", Percentiles.round(Percentiles.of(values, 95), 3)).put("n", values.size());
    }
}
