package io.parley.testkit;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as an operator runs it: {@code io.parley.gateway.Main} in a JVM of its own, with
 * the options {@code ./parley run} would pass, so that a test can kill it ({@code kill -9}),
 * stop it (SIGTERM) and start it again on the same data folder.
 */
public final class GatewayProcess implements GatewayEndpoint, AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Parley is listening on (https?)://[^:]+:(\\d+)/");

    private final Process process;
    private final Path log;
    private final String scheme;
    private final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayProcess(Process process, Path log, String scheme, int port) {
        this.process = process;
        this.log = log;
        this.scheme = scheme;
        this.port = port;
    }

    /** The java of this JVM, for processes of the same build. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** This JVM's class path: under Surefire the class path is a manifest-only jar, and the real one is this property. */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Starts {@code Main} with {@code args} (plus {@code --port 0}) and waits until it listens. */
    public static GatewayProcess start(List<String> args) throws Exception {
        return start(args, null);
    }

    /**
     * Starts {@code Main} in {@code workingDir} (null: this process's), with the JVM options
     * {@code ./parley run} gives it: crash logs go to the data folder ({@code --data}).
     */
    public static GatewayProcess start(List<String> args, Path workingDir) throws Exception {
        return start(List.of(), args, workingDir);
    }

    /** Like {@link #start(List, Path)}, with JVM options of its own (a share of the cores, say). */
    public static GatewayProcess start(List<String> jvmOptions, List<String> args, Path workingDir) throws Exception {
        int data = args.indexOf("--data");
        List<String> command = new ArrayList<>(List.of(
                java(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-XX:+ExitOnOutOfMemoryError", "-Xmx1g",
                // As ./parley run gives them, for Hazelcast in a fleet.
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(jvmOptions);
        if (data >= 0) {
            command.add("-XX:ErrorFile=" + Path.of(args.get(data + 1)).toAbsolutePath().resolve("hs_err_pid%p.log"));
        }
        command.addAll(List.of(
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", classPath(),
                "io.parley.gateway.Main", "--port", "0"));
        command.addAll(args);
        // The output goes to a file, read as it grows: all of it stays readable after the process ends.
        Path output = Files.createTempFile("parley-gateway-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        Process p = builder.redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        GatewayProcess g = null;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (m.find()) {
                g = new GatewayProcess(p, output, m.group(1), Integer.parseInt(m.group(2)));
                break;
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        if (g == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the gateway did not start:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return g;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public String http(String path) {
        return scheme + "://127.0.0.1:" + port + path;
    }

    @Override
    public String ws(String path) {
        return (scheme.equals("https") ? "wss" : "ws") + "://127.0.0.1:" + port + path;
    }

    /** What the process has printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(the output could not be read: " + e.getMessage() + ")";
        }
    }

    /** {@code kill -9}: no shutdown hook, no flush, nothing. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as systemd or Kubernetes stop a service. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code, or empty if it did not end in time. */
    public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(process.exitValue());
    }

    public boolean alive() {
        return process.isAlive();
    }

    public HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /v1/rooms. */
    public JsonObject createRoom(String apiKey) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/rooms", null, apiKey);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("room not created: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
