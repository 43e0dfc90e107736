package io.parley.gateway.e2e;

import io.parley.testkit.GatewayEndpoint;
import io.parley.testkit.TempFolders;

import io.parley.gateway.ParleyServer;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.config.Limits;
import io.parley.gateway.engines.Engines;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The real gateway on a free port, with the real engines, started once for all end-to-end
 * tests of this JVM (loading an engine takes seconds). Tests that need other limits start a
 * second server on the same engines.
 */
public final class TestGateway implements GatewayEndpoint {

    private static TestGateway shared;
    private static TestGateway whisper;

    public final Vertx vertx;
    public final Engines engines;
    public final GatewayConfig config;
    public final ParleyServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Vertx vertx, Engines engines, GatewayConfig config, ParleyServer server) {
        this.vertx = vertx;
        this.engines = engines;
        this.config = config;
        this.server = server;
    }

    /** The gateway on Sphinx4, whose results the original end-to-end bounds were set from. */
    public static synchronized TestGateway shared() throws Exception {
        if (shared == null) {
            shared = start(GatewayConfig.defaults().withPort(0).withAsr("sphinx")
                    .withSphinx(GatewayConfig.defaults().sphinx().withMaxSessions(4, 2)));
        }
        return shared;
    }

    /** The gateway on Whisper (base, int8: the default engine when its weights are installed). */
    public static synchronized TestGateway whisper() throws Exception {
        if (whisper == null) {
            whisper = start(GatewayConfig.defaults().withPort(0).withAsr("whisper"));
        }
        return whisper;
    }

    /** A gateway with its own engines and data folder, closed when the JVM ends. */
    public static TestGateway start(GatewayConfig config) throws Exception {
        Engines engines = Engines.load(config, line -> System.out.println("[test gateway] " + line));
        Vertx vertx = TightVertx.create();
        GatewayConfig own = config.withDataDir(TempFolders.create("parley-test-data-"));
        ParleyServer server = ParleyServer.start(vertx, own, engines, line -> System.out.println("[test gateway] " + line));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engines.close();
            vertx.close();
        }));
        return new TestGateway(vertx, engines, own, server);
    }

    /** A second server on other engines (a wrapped recognizer, say), with a data folder of its own. */
    public TestGateway withEngines(Engines other) throws Exception {
        GatewayConfig own = config.withDataDir(TempFolders.create("parley-test-data-"));
        ParleyServer s = ParleyServer.start(vertx, own, other, line -> System.out.println("[test gateway] " + line));
        return new TestGateway(vertx, other, own, s);
    }

    /** A second server on the same engines, with other limits. */
    public TestGateway withLimits(Limits limits) throws Exception {
        return withConfig(config.withLimits(limits));
    }

    /** A second server on the same engines, with another configuration and a data folder of its own. */
    public TestGateway withConfig(GatewayConfig other) throws Exception {
        GatewayConfig own = other.withDataDir(TempFolders.create("parley-test-data-"));
        ParleyServer s = ParleyServer.start(vertx, own, engines, line -> System.out.println("[test gateway] " + line));
        return new TestGateway(vertx, engines, own, s);
    }

    public int port() {
        return server.port();
    }

    @Override
    public String http(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public String ws(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    /** POST /v1/rooms: {room, speakerToken, viewerToken}. */
    public JsonObject createRoom() throws Exception {
        return createRoom(null);
    }

    /** POST /v1/rooms with a body, e.g. {"task": "translate"}. */
    public JsonObject createRoom(JsonObject body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(http("/v1/rooms")))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("room not created: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    public HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http(path))).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public boolean healthy() throws Exception {
        return get("/healthz", null).statusCode() == 200;
    }
}
