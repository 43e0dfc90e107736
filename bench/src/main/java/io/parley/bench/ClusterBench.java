package io.parley.bench;

import io.parley.testkit.FleetHarness;
import io.parley.testkit.GatewayProcess;
import io.parley.testkit.PostgresServer;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./parley bench cluster}: a fleet of one edge and 1, 2, then 3 worker processes on this
 * machine, each worker given its share of the cores ({@code -XX:ActiveProcessorCount} and the
 * kernels' threads), sharing a PostgreSQL store. For each size, speakers are added (each in its
 * own room, viewers on the edge, the clips back to back at real-time pace) until a step no
 * longer holds every stream (finals' p95 under 3 s after the last word, none lost): streams held.
 * Then, with two workers or more, the worker running a speaker is killed with {@code kill -9}
 * mid-meeting: the failover gap is the longest silence a viewer saw around the kill (no
 * caption of any kind), and finals lost are finals in the store the viewer never received.
 */
final class ClusterBench {

    private ClusterBench() {
    }

    record Options(int maxWorkers, int maxSpeakers, int seconds, String asr) {
    }

    static Options options(String[] args) {
        int workers = 3;
        int speakers = 6;
        int seconds = 30;
        String asr = "whisper";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--max-speakers" -> speakers = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--asr" -> asr = args[++i];
                default -> throw new IllegalArgumentException("bench cluster takes --workers N --max-speakers N --seconds N"
                        + " --asr whisper|sphinx, not " + args[i]);
            }
        }
        return new Options(workers, speakers, seconds, asr);
    }

    static JsonObject run(String[] args) throws Exception {
        Options o = options(args);
        int cores = Runtime.getRuntime().availableProcessors();
        List<WavFile> clips = new ArrayList<>();
        for (EvaluationSet.Clip c : EvaluationSet.locate().clips()) {
            clips.add(WavFile.read(c.wav()));
        }
        JsonArray runs = new JsonArray();
        try (PostgresServer pg = PostgresServer.start()) {
            for (int workers = 1; workers <= o.maxWorkers(); workers++) {
                runs.add(fleet(pg, workers, cores, clips, o));
            }
        }
        return new JsonObject().put("benchmark", "cluster")
                .put("what", "one edge and W worker processes on this machine (each worker limited to its share of the "
                        + cores + " cores), a shared PostgreSQL; speakers added one room at a time until a step does not"
                        + " hold every stream (p95 last word -> final under " + LoadBench.HELD_P95_SECONDS + " s at the"
                        + " viewers, no final lost); then, with 2+ workers, kill -9 of the worker running a speaker mid-meeting")
                .put("environment", BenchOutput.environment())
                .put("engine", o.asr()).put("secondsPerStep", o.seconds())
                .put("runs", runs);
    }

    static JsonObject fleet(PostgresServer pg, int workers, int cores, List<WavFile> clips, Options o) throws Exception {
        int share = Math.max(1, cores / workers);
        List<FleetHarness.NodeSpec> specs = new ArrayList<>();
        String[] common = {"--asr", o.asr(), "--limit", "maxConnectionsPerAddress=10000", "--limit",
                "httpRequestsPerSecond=100000", "--limit", "httpRequestBurst=100000"};
        specs.add(FleetHarness.NodeSpec.of("edge", common));
        for (int w = 0; w < workers; w++) {
            List<String> args = new ArrayList<>(List.of(common));
            args.addAll(List.of("--threads", Integer.toString(share)));
            specs.add(new FleetHarness.NodeSpec("worker", List.of("-XX:ActiveProcessorCount=" + share), args));
        }
        BenchOutput.progress(workers + " worker(s) of " + share + " core(s) each, and an edge");
        try (FleetHarness fleet = new FleetHarness(pg, "bench" + workers, specs)) {
            fleet.startAll();
            GatewayProcess edge = fleet.node(0);
            String admin = fleet.admin();
            fleet.awaitNodes(edge, workers + 1, admin);
            BenchOutput.progress("warm-up stream (not measured)");
            LoadBench.step(edge, 1, 1, clips, 15, false);
            JsonArray steps = new JsonArray();
            int held = 0;
            for (int s = 1; s <= o.maxSpeakers(); s++) {
                BenchOutput.progress(workers + " worker(s): " + s + " speaker(s) for " + o.seconds() + " s");
                Thread.sleep(1500); // the workers' beats show the last step's streams gone
                List<java.util.Map<String, Double>> before = new ArrayList<>();
                for (int w = 1; w <= workers; w++) {
                    before.add(LoadBench.metrics(fleet.node(w)));
                }
                long t0 = System.nanoTime();
                JsonArray seen = new JsonArray();
                for (Object n : fleet.awaitNodes(edge, workers + 1, admin).getJsonArray("nodes")) {
                    JsonObject node = (JsonObject) n;
                    if (!"edge".equals(node.getString("role"))) {
                        seen.add(new JsonObject().put("streams", node.getValue("streams"))
                                .put("realTimeFactor", node.getValue("realTimeFactor")));
                    }
                }
                JsonObject step = LoadBench.step(edge, s, 2, clips, o.seconds(), false);
                step.put("workersAtStart", seen);
                double wall = (System.nanoTime() - t0) / 1e9;
                // The edge has no recognizer: what the step says of one is the workers'.
                step.remove("recognizerRealtimeFactor");
                step.put("edgeCpuCores", step.remove("gatewayCpuCores"));
                JsonArray workerCpu = new JsonArray();
                for (int w = 1; w <= workers; w++) {
                    workerCpu.add(Percentiles.round(LoadBench.delta(before.get(w - 1), LoadBench.metrics(fleet.node(w)),
                            "parley_process_cpu_seconds") / wall, 2));
                }
                step.put("workerCpuCores", workerCpu);
                steps.add(step);
                boolean all = step.getLong("streamsHeld") == s && step.getLong("finalsLost") == 0
                        && step.getJsonArray("failures").isEmpty();
                if (!all) {
                    break;
                }
                held = s;
            }
            JsonObject run = new JsonObject().put("nodes", workers + 1).put("workers", workers).put("coresPerWorker", share)
                    .put("streamsHeld", held).put("steps", steps);
            if (workers >= 2) {
                BenchOutput.progress(workers + " worker(s): kill -9 of the worker running a speaker");
                JsonObject failover = failover(fleet, edge, admin, clips);
                run.put("failoverGapSeconds", failover.getValue("gapSeconds")).put("finalsLost", failover.getValue("finalsLost"))
                        .put("failover", failover);
            } else {
                run.put("failoverGapSeconds", null).put("finalsLost", steps.isEmpty() ? 0
                        : steps.getJsonObject(steps.size() - 1).getLong("finalsLost"));
            }
            return run;
        }
    }

    /** One speaker streaming; its worker killed mid-meeting; the longest silence and the finals lost at a viewer. */
    static JsonObject failover(FleetHarness fleet, GatewayProcess edge, String admin, List<WavFile> clips) throws Exception {
        JsonObject room = edge.createRoom(null);
        String id = room.getString("room");
        SocketClient viewer = SocketClient.connect(edge.ws("/v1/rooms/" + id + "/captions"), room.getString("viewerToken"));
        Speaker speaker = Speaker.start(edge, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        for (int c = 0; c < 2; c++) {
            speaker.sendClip(clips.get(c % clips.size()));
            speaker.sendSilence(LoadBench.PAUSE_SECONDS, 16000);
        }
        String hostUrl = null;
        for (Object o : fleet.awaitNodes(edge, fleet.size(), admin).getJsonArray("nodes")) {
            JsonObject n = (JsonObject) o;
            if (n.getJsonArray("rooms").contains(id)) {
                hostUrl = n.getString("http");
            }
        }
        if (hostUrl == null) {
            throw new IllegalStateException("no worker runs room " + id);
        }
        GatewayProcess host = fleet.byUrl(hostUrl);
        WavFile clip = clips.get(2 % clips.size());
        byte[] pcm = clip.pcm();
        int half = pcm.length / 2 & ~1;
        speaker.sendPcm(java.util.Arrays.copyOf(pcm, half), 16000);
        long killedAt = System.nanoTime();
        host.kill9();
        speaker.sendPcm(java.util.Arrays.copyOfRange(pcm, half, pcm.length), 16000);
        speaker.sendSilence(LoadBench.PAUSE_SECONDS, 16000);
        for (int c = 3; c < 5; c++) {
            speaker.sendClip(clips.get(c % clips.size()));
            speaker.sendSilence(LoadBench.PAUSE_SECONDS, 16000);
        }
        speaker.stop();
        // The longest stretch without a caption that spans the kill.
        long before = Long.MIN_VALUE;
        long after = Long.MAX_VALUE;
        for (SocketClient.Received r : viewer.messages) {
            if (!"caption".equals(r.json().getString("type"))) {
                continue;
            }
            if (r.nanos() <= killedAt) {
                before = Math.max(before, r.nanos());
            } else {
                after = Math.min(after, r.nanos());
            }
        }
        Set<Long> stored = LoadBench.seqs(edge.send("GET", "/v1/rooms/" + id + "/transcript?format=json", null,
                room.getString("viewerToken")));
        Set<Long> missing = new HashSet<>(stored);
        missing.removeAll(LoadBench.received(viewer));
        double gap = before == Long.MIN_VALUE || after == Long.MAX_VALUE ? Double.NaN : (after - before) / 1e9;
        double killToCaption = after == Long.MAX_VALUE ? Double.NaN : (after - killedAt) / 1e9;
        viewer.close();
        return new JsonObject().put("gapSeconds", Percentiles.round(gap, 2))
                .put("killToNextCaptionSeconds", Percentiles.round(killToCaption, 2))
                .put("finalsStored", stored.size()).put("finalsLost", missing.size());
    }
}
