package io.parley.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where a benchmark's JSON goes: printed, and saved as {@code bench/results/<name>.json} so that
 * a person can compare it between commits (the file is committed with the change it measures).
 */
final class BenchOutput {

    private BenchOutput() {
    }

    /** The machine and run, recorded with every result. */
    static JsonObject environment() {
        Runtime rt = Runtime.getRuntime();
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return new JsonObject()
                .put("date", Instant.now().toString())
                .put("cpus", rt.availableProcessors())
                .put("cpuModel", cpuModel())
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
                .put("host", host);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** Saves a JSON object or array (as the benchmark defines its records). */
    static void save(String name, Object result) throws IOException {
        String json = result instanceof JsonObject o ? o.encodePrettily()
                : ((io.vertx.core.json.JsonArray) result).encodePrettily();
        System.out.println(json);
        Path dir = Path.of(System.getProperty("parley.bench.results", "bench/results"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
        System.err.println("saved " + file.toAbsolutePath().normalize());
    }

    static void progress(String line) {
        System.err.println("[bench] " + line);
    }
}
