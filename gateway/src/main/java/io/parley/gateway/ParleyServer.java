package io.parley.gateway;

import io.parley.gateway.auth.TokenKeys;
import io.parley.gateway.auth.TokenService;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.fleet.Fleet;
import io.parley.gateway.http.HttpApi;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.metrics.WhisperGauges;
import io.parley.gateway.net.ConnectionGuard;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.store.DataFolder;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.postgres.PostgresStore;
import io.parley.gateway.store.sqlite.SqliteStore;
import io.parley.gateway.whip.WebRtcStack;
import io.parley.gateway.whip.WhipSessions;
import io.parley.gateway.ws.Credentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running gateway: a Vert.x HTTP server with the v1 API, its rooms, store and token keys,
 * on engines loaded beforehand.
 */
public final class ParleyServer {

    private static final Logger LOG = Logger.getLogger(ParleyServer.class.getName());
    /** What viewers are told to wait before reconnecting when the server drains. */
    static final long RECONNECT_AFTER_MS = 2000;

    private final Vertx vertx;
    private final GatewayConfig config;
    private final DataFolder dataFolder;
    private final Store store;
    private final TokenService tokens;
    private final RoomRegistry rooms;
    private final GatewayMetrics metrics;
    private final ConnectionGuard guard;
    private final WhipSessions whip;
    private final HttpServer server;
    private final ExecutorService roomWork;
    private final ExecutorService blocking;
    private final long[] timers;
    private final Fleet fleet;
    private volatile boolean draining;

    private ParleyServer(Vertx vertx, GatewayConfig config, DataFolder dataFolder, Store store, TokenService tokens,
                         RoomRegistry rooms, GatewayMetrics metrics, ConnectionGuard guard, WhipSessions whip,
                         HttpServer server, ExecutorService roomWork, ExecutorService blocking, long[] timers,
                         Fleet fleet) {
        this.fleet = fleet;
        this.vertx = vertx;
        this.config = config;
        this.dataFolder = dataFolder;
        this.store = store;
        this.tokens = tokens;
        this.rooms = rooms;
        this.metrics = metrics;
        this.guard = guard;
        this.whip = whip;
        this.server = server;
        this.roomWork = roomWork;
        this.blocking = blocking;
        this.timers = timers;
    }

    /**
     * Refuses a configuration that would leave the server open to anyone: listening beyond
     * loopback with no API key, unless {@code --insecure-open} says so.
     */
    public static void checkExposure(GatewayConfig config) {
        if (!config.loopbackOnly() && config.security().apiKey().isEmpty() && !config.security().insecureOpen()) {
            throw new IllegalArgumentException("listening on " + config.host() + " lets other machines reach Parley, and"
                    + " without an API key anyone could make rooms and use its translators: give one (--api-key or"
                    + " PARLEY_API_KEY), or say --insecure-open if that is what you want");
        }
    }

    /**
     * Opens the data folder and the store, loads the token keys and starts listening. Blocks
     * (file and database I/O): call it from a main or test thread, not an event loop.
     */
    public static ParleyServer start(Vertx vertx, GatewayConfig config, Engines engines, Consumer<String> progress) {
        checkExposure(config);
        DataFolder folder = DataFolder.open(config.store().dataDir());
        Store store = null;
        ExecutorService roomWork = null;
        ExecutorService blocking = null;
        try {
            store = config.store().postgresUri().isPresent()
                    ? PostgresStore.open(vertx, config.store().postgresUri().get(), Duration.ofSeconds(30))
                    : SqliteStore.open(folder.dir());
            progress.accept("store: " + store.describe() + ", schema version " + store.schemaVersion());
            TokenKeys keys = TokenKeys.load(config.security().jwtKeys(), folder.keys(), progress);
            TokenService tokens = TokenService.create(vertx, keys, config.security().maxTokenLifetime());
            progress.accept("room tokens: " + keys.keys().size() + " key(s); signing with '" + keys.signer().id() + "' ("
                    + keys.signer().algorithm() + ")");

            GatewayMetrics metrics = new GatewayMetrics();
            roomWork = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    Thread.ofPlatform().name("parley-room-", 0).daemon().factory());
            // Engines may block the thread that hands them work (a pipe to Apertium, libwebrtc's calls).
            blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-blocking-", 0).factory());
            Fleet fleet = config.cluster().enabled()
                    ? new Fleet(vertx, config, store, engines, metrics, roomWork, blocking) : null;
            Room.Services services = new Room.Services(store, engines.textTranslator(), blocking, roomWork, metrics,
                    config.rooms().policy(), fleet);
            RoomRegistry rooms = new RoomRegistry(services, config.rooms().maxRooms());
            registerGauges(metrics, rooms, engines, fleet);
            io.parley.gateway.metrics.ProcessGauges.register(metrics);

            HttpServerOptions options = new HttpServerOptions()
                    .setHost(config.host())
                    .setPort(config.port())
                    // Parley's own token subprotocol, and Deepgram's ("token" or "bearer", then the credential)
                    // for its browser clients.
                    .setWebSocketSubProtocols(List.of(Credentials.PROTOCOL, "token", "bearer"))
                    .setMaxWebSocketFrameSize(config.limits().maxWebSocketFrameBytes())
                    .setMaxWebSocketMessageSize(config.limits().maxWebSocketFrameBytes())
                    .setIdleTimeout((int) config.connections().httpIdleTimeout().toSeconds())
                    .setIdleTimeoutUnit(TimeUnit.SECONDS)
                    .setMaxHeaderSize(config.connections().maxHeaderBytes())
                    // HTTP/1.1 only: with clear-text HTTP/2 detection a connection is only known once it
                    // has sent bytes, and a silent one would escape the connection limits and header timeout.
                    .setHttp2ClearTextEnabled(false);
            if (config.limits().socketSendBufferBytes() > 0) {
                options.setSendBufferSize(config.limits().socketSendBufferBytes());
            }
            if (config.security().tls()) {
                options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(config.security().tlsCert().orElseThrow().toString())
                        .setKeyPath(config.security().tlsKey().orElseThrow().toString()));
            }
            ExecutorService whipWork = blocking;
            WhipSessions whip = new WhipSessions(WebRtcStack.start(config.webrtc(), config.host()), engines, metrics, whipWork);
            metrics.gauge("parley_webrtc_sessions", "Speakers streaming over WebRTC (WHIP).", whip::size);
            ConnectionGuard guard = new ConnectionGuard(vertx, config.connections(), metrics);
            ParleyServer[] self = new ParleyServer[1];
            HttpServer server = vertx.createHttpServer(options)
                    .connectionHandler(guard.onConnection())
                    .requestHandler(new HttpApi(vertx, config, engines, rooms, tokens, metrics, whip, guard,
                            () -> self[0] != null && self[0].draining, fleet).router());
            long sweeper = vertx.setPeriodic(60_000, id -> {
                rooms.sweep(config.rooms().roomIdleTimeout(), config.security().maxTokenLifetime());
                guard.sweep();
            });
            long channelSweeper = vertx.setPeriodic(10_000, id -> rooms.loadedRooms().forEach(Room::releaseIdleChannels));
            long whipSweeper = vertx.setPeriodic(1_000, id -> whip.endAbandoned());
            HttpServer listening = server.listen().await(30, TimeUnit.SECONDS);
            self[0] = new ParleyServer(vertx, config, folder, store, tokens, rooms, metrics, guard, whip, listening,
                    roomWork, blocking, new long[]{sweeper, channelSweeper, whipSweeper}, fleet);
            if (fleet != null) {
                String url = (config.security().tls() ? "https" : "http") + "://" + config.host() + ":" + listening.actualPort();
                fleet.start(rooms, () -> url);
                progress.accept("fleet: node " + fleet.nodeId() + ", role " + fleet.role().label() + "; "
                        + fleet.nodes().size() + " node(s) seen so far");
            }
            // Retention and idle rooms are looked at once at start too: a gateway down for a week
            // has work waiting.
            rooms.sweep(config.rooms().roomIdleTimeout(), config.security().maxTokenLifetime());
            return self[0];
        } catch (Exception e) {
            if (store != null) {
                store.close();
            }
            if (roomWork != null) {
                roomWork.shutdownNow();
            }
            if (blocking != null) {
                blocking.shutdownNow();
            }
            folder.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    private static void registerGauges(GatewayMetrics metrics, RoomRegistry rooms, Engines engines, Fleet fleet) {
        metrics.gauge("parley_rooms", "Rooms loaded (open and in use since start).", rooms::size);
        metrics.gauge("parley_speaker_streams", "Speaker streams being recognised.",
                () -> engines.recognizer().stats().activeSessions());
        metrics.gauge("parley_viewers", "Connected viewers.",
                () -> rooms.loadedRooms().stream().mapToInt(Room::viewersNow).sum());
        metrics.gauge("parley_recognizer_realtime_factor",
                "Recognizer compute time per second of audio since start (below 1 keeps up with live speech).",
                () -> engines.recognizer().stats().realTimeFactor());
        metrics.gauge("parley_recognizer_audio_seconds", "Audio recognised since start, in seconds.",
                () -> engines.recognizer().stats().audioSeconds());
        metrics.gauge("parley_recognizer_backlog_seconds", "Audio accepted from speakers and not yet recognised.",
                () -> engines.recognizer().stats().backlogSeconds());
        if (engines.recognizer() instanceof io.parley.speech.whisper.stream.WhisperRecognizer whisper) {
            WhisperGauges.register(metrics, whisper);
        }
        metrics.gauge("parley_recognizer_partials_shed_total",
                "Partial results the recognizer skipped because a stream was behind its audio (finals are never skipped).",
                () -> engines.recognizer().stats().partialsShed());
        metrics.gauge("parley_recognizer_streams_refused_total",
                "Streams the recognizer refused (capacity_reached): one more would not have been kept in real time.",
                () -> engines.recognizer().stats().streamsRefused());
        metrics.gauge("parley_translation_queue_depth", "Texts waiting for a translation engine.",
                engines::translationQueueDepth);
        metrics.gauge("parley_viewer_queue_bytes", "Caption bytes waiting for viewers' connections to take them.",
                () -> fleet != null ? fleet.unsentBytes() : rooms.loadedRooms().stream().mapToLong(Room::unsentBytes).sum());
    }

    public int port() {
        return server.actualPort();
    }

    public boolean tls() {
        return config.security().tls();
    }

    /** Why WebRTC ingest is refused, if it is (turned off, or libwebrtc could not load here). */
    public java.util.Optional<String> webRtcUnavailable() {
        return whip.unavailableReason();
    }

    /** Where WebRTC media is offered, if WebRTC is on. */
    public java.util.Optional<String> webRtcMediaAddresses() {
        return whip.mediaAddresses();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public Store store() {
        return store;
    }

    public TokenService tokens() {
        return tokens;
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * A graceful stop: new requests are refused (503 {@code server_shutdown}), every speaker's
     * audio so far is recognised and its last final delivered and committed, viewers are told to
     * reconnect with {@code since} and closed with 1001, WebRTC sessions end. Bounded by the
     * drain timeout; completes when done.
     */
    public CompletableFuture<Void> drain() {
        draining = true;
        // WebRTC first: its sessions stop taking audio before the rooms finish their speakers'
        // streams, so that libwebrtc never delivers a frame to a recognizer session that has ended.
        whip.endAll("the server is shutting down");
        long bound = config.rooms().drainTimeout().toMillis() * 2 + 2000;
        if (fleet != null) {
            // Speakers connected here finish first (on whichever worker runs them, this one
            // included), then the streams of other edges that run here move to other workers.
            return fleet.drainEdge(RECONNECT_AFTER_MS, config.rooms().drainTimeout().toMillis())
                    .thenCompose(v -> rooms.drainAll(RECONNECT_AFTER_MS))
                    .completeOnTimeout(null, bound, TimeUnit.MILLISECONDS)
                    .exceptionally(e -> {
                        LOG.log(Level.WARNING, "draining the node failed", e);
                        return null;
                    });
        }
        return rooms.drainAll(RECONNECT_AFTER_MS)
                .completeOnTimeout(null, bound, TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    LOG.log(Level.WARNING, "draining the rooms failed", e);
                    return null;
                });
    }

    /** Stops listening and releases everything; after {@link #drain()} for a graceful stop. */
    public CompletableFuture<Void> close() {
        draining = true;
        for (long timer : timers) {
            vertx.cancelTimer(timer);
        }
        if (fleet != null) {
            fleet.stop();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // The rest blocks (threads to join, files to close): not on the event loop that completes the shutdown.
        server.shutdown(1, TimeUnit.SECONDS).onComplete(ar -> Thread.ofPlatform().name("parley-close").start(() -> {
            try {
                whip.close();
                roomWork.shutdown();
                roomWork.awaitTermination(5, TimeUnit.SECONDS);
                blocking.shutdown();
                store.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the gateway", e);
            } finally {
                dataFolder.close();
                done.complete(null);
            }
        }));
        return done;
    }
}
