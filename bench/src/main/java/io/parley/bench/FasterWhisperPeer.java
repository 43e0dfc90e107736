package io.parley.bench;

import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * faster-whisper, the peer a user would pick instead, run by {@code tools/bench/faster_whisper_peer.py}
 * in the Python environment that {@code ./parley bench asr} sets up under the build folder
 * ({@code PARLEY_PEER_PYTHON}). Its hypotheses are scored here, by the same normaliser as
 * Parley's.
 */
final class FasterWhisperPeer {

    private FasterWhisperPeer() {
    }

    static JsonObject run(Path modelDir, List<EvaluationSet.Clip> clips, int reps, List<String> configs)
            throws IOException, InterruptedException {
        String python = System.getenv("PARLEY_PEER_PYTHON");
        if (python == null || !Files.isExecutable(Path.of(python))) {
            return new JsonObject().put("error", "PARLEY_PEER_PYTHON is not set; run the benchmark as ./parley bench asr")
                    .put("configs", new JsonArray());
        }
        List<String> cmd = new ArrayList<>(List.of(python, "tools/bench/faster_whisper_peer.py",
                modelDir.toString(), Integer.toString(reps)));
        cmd.addAll(configs);
        cmd.add("--");
        clips.forEach(c -> cmd.add(c.wav().toString()));
        BenchOutput.progress("faster-whisper " + configs);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("faster-whisper failed (exit " + p.exitValue() + ")");
        }
        JsonObject raw = new JsonObject(stdout.strip().lines().reduce((a, b) -> b).orElseThrow());
        JsonArray scored = new JsonArray();
        for (Object o : raw.getJsonArray("configs")) {
            JsonObject c = (JsonObject) o;
            List<String> hyps = c.getJsonArray("hypotheses").stream().map(Object::toString).toList();
            double best = c.getJsonArray("seconds").stream().mapToDouble(x -> ((Number) x).doubleValue()).min().orElseThrow();
            scored.add(new JsonObject().put("computeType", c.getString("computeType")).put("beam", c.getInteger("beam"))
                    .put("seconds", Percentiles.round(best, 3))
                    .mergeIn(AsrBench.Scores.of(clips, hyps)));
        }
        return new JsonObject().put("engine", "faster-whisper (CTranslate2), " + raw.getInteger("threads") + " threads")
                .put("configs", scored);
    }
}
