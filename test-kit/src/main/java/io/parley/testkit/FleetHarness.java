package io.parley.testkit;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several gateway processes on loopback as one fleet: a Hazelcast member each (TCP/IP, ports
 * picked here), one PostgreSQL database and one token key shared, a role and JVM options per
 * node. For the fleet's end-to-end tests and {@code ./parley bench cluster}.
 */
public final class FleetHarness implements AutoCloseable {

    /** One node: its role and what else it is given. */
    public record NodeSpec(String role, List<String> jvmOptions, List<String> args) {
        public static NodeSpec of(String role, String... args) {
            return new NodeSpec(role, List.of(), List.of(args));
        }
    }

    private final List<List<String>> args = new ArrayList<>();
    private final List<List<String>> jvm = new ArrayList<>();
    private final GatewayProcess[] running;
    private final List<GatewayProcess> all = new ArrayList<>();
    private final Path secret;

    public FleetHarness(PostgresServer pg, String database, List<NodeSpec> nodes) throws Exception {
        String store = pg.newDatabase(database);
        secret = TempFolders.create("parley-fleet-key-").resolve("fleet.key");
        Files.writeString(secret, "a-secret-the-fleet-shares-" + "x".repeat(40));
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            ports.add(LoopbackPorts.free());
        }
        String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < nodes.size(); i++) {
            List<String> a = new ArrayList<>(List.of("--data", TempFolders.create("parley-fleet-").toString(), "--store", store,
                    "--jwt-key", "fleet=" + secret, "--webrtc", "off", "--cluster", "--cluster-members", members,
                    "--cluster-port", Integer.toString(ports.get(i)), "--role", nodes.get(i).role()));
            a.addAll(nodes.get(i).args());
            args.add(a);
            jvm.add(nodes.get(i).jvmOptions());
        }
        running = new GatewayProcess[nodes.size()];
    }


    /** Starts every node, one after the other (each joins those before it). */
    public void startAll() throws Exception {
        for (int i = 0; i < running.length; i++) {
            restart(i);
        }
    }

    /** Starts node i (again), on its data folder and cluster port. */
    public GatewayProcess restart(int i) throws Exception {
        GatewayProcess p = GatewayProcess.start(jvm.get(i), args.get(i), null);
        running[i] = p;
        all.add(p);
        return p;
    }

    public GatewayProcess node(int i) {
        return running[i];
    }

    public int size() {
        return running.length;
    }

    /** An admin token signed with the fleet's key, minted by {@code parley token} as an operator would. */
    public String admin() throws Exception {
        Process p = new ProcessBuilder(GatewayProcess.java(), "-cp", GatewayProcess.classPath(), "io.parley.gateway.TokenCommand",
                "--role", "admin", "--jwt-key", "fleet=" + secret, "--data", TempFolders.create("parley-fleet-admin-").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String token = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0 || token.isEmpty()) {
            throw new IllegalStateException("parley token did not mint an admin token (exit "
                    + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        return token;
    }

    /** Waits until {@code from} sees {@code n} nodes alive, and returns its {@code GET /v1/cluster}. */
    public JsonObject awaitNodes(GatewayProcess from, int n, String adminToken) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonObject last = null;
        while (System.currentTimeMillis() < deadline) {
            var r = from.send("GET", "/v1/cluster", null, adminToken);
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /v1/cluster: " + r.statusCode() + " " + r.body());
            }
            last = new JsonObject(r.body());
            if (last.getJsonArray("nodes").size() == n) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the fleet never had " + n + " nodes: " + last);
    }

    /** The process of the node whose HTTP API is at {@code url}, among those running. */
    public GatewayProcess byUrl(String url) {
        for (GatewayProcess p : running) {
            if (p != null && url.endsWith(":" + p.port())) {
                return p;
            }
        }
        throw new AssertionError("no node runs at " + url);
    }

    /** Every node's output, for a failure's report. */
    public String outputs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            b.append("---- process ").append(i).append(" ----\n").append(all.get(i).output()).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (GatewayProcess p : all) {
            p.close();
        }
    }
}
