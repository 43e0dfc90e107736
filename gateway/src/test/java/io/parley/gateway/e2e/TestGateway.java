package io.parley.gateway.e2e;

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
import java.util.concurrent.TimeUnit;

/**
 * The real gateway on a free port, with the real engines, started once for all end-to-end
 * tests of this JVM (loading Sphinx4 takes seconds). Tests that need other limits start a
 * second server on the same engines.
 */
public final class TestGateway {

    private static TestGateway shared;

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

    public static synchronized TestGateway shared() throws Exception {
        if (shared == null) {
            GatewayConfig config = GatewayConfig.defaults().withPort(0)
                    .withSphinx(GatewayConfig.defaults().sphinx().withMaxSessions(4, 2));
            Engines engines = Engines.load(config, line -> System.out.println("[test gateway] " + line));
            Vertx vertx = Vertx.vertx();
            ParleyServer server = ParleyServer.start(vertx, config, engines).await(30, TimeUnit.SECONDS);
            shared = new TestGateway(vertx, engines, config, server);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                engines.close();
                vertx.close();
            }));
        }
        return shared;
    }

    /** A second server on the same engines, with other limits. */
    public TestGateway withLimits(Limits limits) throws Exception {
        return withConfig(config.withLimits(limits));
    }

    /** A second server on the same engines, with another configuration. */
    public TestGateway withConfig(GatewayConfig other) throws Exception {
        ParleyServer s = ParleyServer.start(vertx, other, engines).await(30, TimeUnit.SECONDS);
        return new TestGateway(vertx, engines, other, s);
    }

    public int port() {
        return server.port();
    }

    public String http(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public String ws(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    /** POST /v1/rooms: {room, speakerToken, viewerToken}. */
    public JsonObject createRoom() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(http("/v1/rooms")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
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
