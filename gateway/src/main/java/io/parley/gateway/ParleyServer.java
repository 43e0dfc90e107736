package io.parley.gateway;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.http.HttpApi;
import io.parley.gateway.journal.InMemoryTranscriptStore;
import io.parley.gateway.journal.TranscriptStore;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.whip.WebRtcStack;
import io.parley.gateway.whip.WhipSessions;
import io.parley.gateway.ws.Credentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The running gateway: a Vert.x HTTP server with the v1 API, its rooms and journal, on
 * engines loaded beforehand.
 */
public final class ParleyServer {

    private final Vertx vertx;
    private final HttpServer server;
    private final RoomRegistry rooms;
    private final GatewayMetrics metrics;
    private final ExecutorService workers;
    private final WhipSessions whip;
    private final long[] timers;

    private ParleyServer(Vertx vertx, HttpServer server, RoomRegistry rooms, GatewayMetrics metrics,
                         ExecutorService workers, WhipSessions whip, long[] timers) {
        this.vertx = vertx;
        this.server = server;
        this.rooms = rooms;
        this.metrics = metrics;
        this.workers = workers;
        this.whip = whip;
        this.timers = timers;
    }

    public static Future<ParleyServer> start(Vertx vertx, GatewayConfig config, Engines engines) {
        GatewayMetrics metrics = new GatewayMetrics();
        TranscriptStore journal = new InMemoryTranscriptStore();
        // Translation requests are submitted from here, never from an event loop or a recognizer thread.
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        RoomRegistry rooms = new RoomRegistry(journal, engines.textTranslator(), workers, metrics, config.limits().maxRooms());
        registerGauges(metrics, rooms, engines);

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setWebSocketSubProtocols(List.of(Credentials.PROTOCOL))
                .setMaxWebSocketFrameSize(config.limits().maxWebSocketFrameBytes())
                .setMaxWebSocketMessageSize(config.limits().maxWebSocketFrameBytes());
        if (config.limits().socketSendBufferBytes() > 0) {
            options.setSendBufferSize(config.limits().socketSendBufferBytes());
        }
        WhipSessions whip = new WhipSessions(WebRtcStack.start(config.webrtc()), engines, config.limits(), metrics);
        metrics.gauge("parley_webrtc_sessions", "Speakers streaming over WebRTC (WHIP).", whip::size);
        HttpServer server = vertx.createHttpServer(options)
                .requestHandler(new HttpApi(vertx, config, engines, rooms, metrics, whip).router());
        long sweeper = vertx.setPeriodic(60_000, id -> rooms.closeIdle(config.limits().roomIdleTimeout()));
        long whipSweeper = vertx.setPeriodic(1_000, id -> whip.endAbandoned());
        return server.listen().map(s -> new ParleyServer(vertx, s, rooms, metrics, workers, whip,
                new long[] {sweeper, whipSweeper}));
    }

    private static void registerGauges(GatewayMetrics metrics, RoomRegistry rooms, Engines engines) {
        metrics.gauge("parley_rooms", "Open rooms.", rooms::size);
        metrics.gauge("parley_speaker_streams", "Speaker streams being recognised.",
                () -> engines.recognizer().stats().activeSessions());
        metrics.gauge("parley_viewers", "Connected viewers.",
                () -> rooms.all().stream().mapToInt(Room::viewerCount).sum());
        metrics.gauge("parley_recognizer_realtime_factor",
                "Recognizer compute time per second of audio since start (below 1 keeps up with live speech).",
                () -> engines.recognizer().stats().realTimeFactor());
        metrics.gauge("parley_recognizer_audio_seconds", "Audio recognised since start, in seconds.",
                () -> engines.recognizer().stats().audioSeconds());
        metrics.gauge("parley_recognizer_backlog_seconds", "Audio accepted from speakers and not yet recognised.",
                () -> engines.recognizer().stats().backlogSeconds());
        metrics.gauge("parley_translation_queue_depth", "Texts waiting for a translation engine.",
                engines::translationQueueDepth);
        metrics.gauge("parley_viewer_queue_bytes", "Caption bytes waiting for viewers' connections to take them.",
                () -> rooms.all().stream().mapToLong(Room::unsentBytes).sum());
    }

    public int port() {
        return server.actualPort();
    }

    /** Why WebRTC ingest is refused, if it is (turned off, or libwebrtc could not load here). */
    public java.util.Optional<String> webRtcUnavailable() {
        return whip.unavailableReason();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public Future<Void> close() {
        for (long timer : timers) {
            vertx.cancelTimer(timer);
        }
        return server.close().andThen(ar -> {
            whip.close();
            workers.shutdown();
        });
    }
}
