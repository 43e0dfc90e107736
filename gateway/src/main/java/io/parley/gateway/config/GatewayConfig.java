package io.parley.gateway.config;

import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.speech.sphinx.SphinxConfig;
import io.parley.speech.whisper.stream.StreamingConfig;
import io.parley.translate.apertium.ApertiumConfig;

/**
 * Everything the gateway needs to start, validated before anything is loaded.
 *
 * @param host        interface to listen on
 * @param port        TCP port; 0 picks a free one
 * @param asrEngine   the speech engine: {@code whisper}, {@code sphinx}, or {@code auto} (Whisper
 *                    where its weights are installed, else Sphinx)
 * @param whisper     Whisper's model, precision and streaming settings
 * @param sphinx      Sphinx4 tuning
 * @param apertium    where Apertium lives
 * @param limits      what one client may send
 * @param connections connections, request rates and timeouts
 * @param rooms       what rooms may hold and how long they live
 * @param security    API key, token keys, TLS
 * @param store       the data folder and the store
 * @param accelerator where the models' kernels run
 * @param webrtc      WebRTC ingest (WHIP)
 * @param neuralMt    neural translation models beside Apertium
 * @param routes      how translation routes are chosen: the most steps, the captions' time budget, the score table
 * @param files       what a recorded file sent for transcription may be (size, length, decoder bounds)
 * @param cluster     whether this is one node of a fleet, its role and how it finds the others
 */
public record GatewayConfig(String host, int port, String asrEngine, StreamingConfig whisper, SphinxConfig sphinx,
                            ApertiumConfig apertium, Limits limits, ConnectionLimits connections, RoomLimits rooms,
                            SecurityConfig security, StoreConfig store, AcceleratorConfig accelerator,
                            WebRtcConfig webrtc, NeuralMtConfig neuralMt,
                            RoutingConfig routes, FileLimits files, ClusterConfig cluster) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final java.util.List<String> ASR_ENGINES = java.util.List.of("auto", "whisper", "sphinx");

    public GatewayConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (cluster != null && cluster.enabled() && store != null && store.postgresUri().isEmpty()) {
            throw new IllegalArgumentException("a fleet shares its rooms and finals in PostgreSQL: --cluster needs"
                    + " --store postgresql://USER@HOST:PORT/DB");
        }
        if (!ASR_ENGINES.contains(asrEngine)) {
            throw new IllegalArgumentException("unknown speech engine '" + asrEngine + "'; available: "
                    + String.join(", ", ASR_ENGINES));
        }
        if (whisper == null || sphinx == null || apertium == null || limits == null || connections == null || rooms == null
                || security == null || store == null || accelerator == null || webrtc == null || neuralMt == null
                || routes == null || files == null || cluster == null) {
            throw new IllegalArgumentException("every part of the configuration must be given");
        }
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(DEFAULT_HOST, DEFAULT_PORT, "auto", StreamingConfig.defaults(), SphinxConfig.defaults(),
                ApertiumConfig.defaults(), Limits.defaults(), ConnectionLimits.defaults(), RoomLimits.defaults(),
                SecurityConfig.defaults(), StoreConfig.defaults(), AcceleratorConfig.defaults(), WebRtcConfig.defaults(),
                NeuralMtConfig.defaults(), RoutingConfig.defaults(), FileLimits.defaults(), ClusterConfig.defaults());
    }

    /**
     * Whether the host is a loopback address, where only this machine can reach the server: a
     * server reachable from elsewhere refuses to start without an API key unless told to.
     */
    public boolean loopbackOnly() {
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    public GatewayConfig withHost(String h) {
        return new GatewayConfig(h, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withPort(int p) {
        return new GatewayConfig(host, p, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withAsr(String engine) {
        return new GatewayConfig(host, port, engine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withWhisper(StreamingConfig w) {
        return new GatewayConfig(host, port, asrEngine, w, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withSphinx(SphinxConfig s) {
        return new GatewayConfig(host, port, asrEngine, whisper, s, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withLimits(Limits l) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, l, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withConnections(ConnectionLimits c) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, c, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withRooms(RoomLimits r) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, r, security, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withSecurity(SecurityConfig s) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, s, store,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withStore(StoreConfig s) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, s,
                accelerator, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withAccelerator(AcceleratorConfig a) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                a, webrtc, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withWebRtc(WebRtcConfig w) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, w, neuralMt, routes, files, cluster);
    }

    public GatewayConfig withNeuralMt(NeuralMtConfig n) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, n, routes, files, cluster);
    }

    public GatewayConfig withApiKey(String key) {
        return withSecurity(security.withApiKey(key));
    }

    /** The data folder as given: for tests, a temporary one. */
    public GatewayConfig withDataDir(java.nio.file.Path dir) {
        return withStore(store.withDataDir(dir));
    }

    public GatewayConfig withRoutes(RoutingConfig r) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, r, files, cluster);
    }

    public GatewayConfig withCluster(ClusterConfig k) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, files, k);
    }

    public GatewayConfig withFiles(FileLimits f) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, connections, rooms, security, store,
                accelerator, webrtc, neuralMt, routes, f, cluster);
    }
}
