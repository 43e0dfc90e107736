package io.parley.bench;

import io.parley.gateway.ParleyServer;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.testkit.GatewayEndpoint;
import io.parley.testkit.TempFolders;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The gateway in the benchmark's own JVM, for the benchmarks that read its engines' counters
 * directly (the recognizer's compute per second of audio): real engines, a free port, a data
 * folder of its own. Benchmarks of the gateway as it runs in production start it as a process.
 */
final class BenchGateway implements GatewayEndpoint {

    final Engines engines;
    final GatewayConfig config;
    private final ParleyServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private BenchGateway(Engines engines, GatewayConfig config, ParleyServer server) {
        this.engines = engines;
        this.config = config;
        this.server = server;
    }

    /** Sphinx4 with four streams. */
    static BenchGateway sphinx() throws Exception {
        return start(GatewayConfig.defaults().withPort(0).withAsr("sphinx")
                .withSphinx(GatewayConfig.defaults().sphinx().withMaxSessions(4, 2)));
    }

    /** Whisper base, int8: the default engine. */
    static BenchGateway whisper() throws Exception {
        return start(GatewayConfig.defaults().withPort(0).withAsr("whisper"));
    }

    static BenchGateway start(GatewayConfig config) throws Exception {
        Engines engines = Engines.load(config, line -> BenchOutput.progress("gateway: " + line));
        GatewayConfig own = config.withDataDir(TempFolders.create("parley-bench-data-"));
        ParleyServer server = ParleyServer.start(Vertx.vertx(), own, engines, line -> BenchOutput.progress("gateway: " + line));
        return new BenchGateway(engines, own, server);
    }

    @Override
    public String http(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Override
    public String ws(String path) {
        return "ws://127.0.0.1:" + server.port() + path;
    }

    /** POST /v1/rooms: {room, speakerToken, viewerToken}. */
    JsonObject createRoom() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(http("/v1/rooms")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("room not created: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }
}
