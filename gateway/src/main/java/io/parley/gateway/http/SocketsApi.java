package io.parley.gateway.http;

import io.parley.gateway.auth.Role;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Room;
import io.parley.gateway.ws.CaptionsQuery;
import io.parley.gateway.ws.CloseCodes;
import io.parley.gateway.ws.SpeakerSocket;
import io.parley.gateway.ws.ViewerSocket;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The speaker socket ({@code /v1/rooms/{room}/speak}) and the viewer socket ({@code /v1/rooms/{room}/captions}). */
final class SocketsApi {

    private static final Logger LOG = Logger.getLogger(SocketsApi.class.getName());

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Engines engines;
    private final GatewayMetrics metrics;
    private final ApiSupport api;
    private final AtomicLong connections = new AtomicLong();

    SocketsApi(Vertx vertx, GatewayConfig config, Engines engines, GatewayMetrics metrics, ApiSupport api) {
        this.vertx = vertx;
        this.config = config;
        this.engines = engines;
        this.metrics = metrics;
        this.api = api;
    }

    void mount(Router router) {
        router.get("/v1/rooms/:room/speak").handler(this::speak);
        router.get("/v1/rooms/:room/captions").handler(this::captions);
    }

    private void speak(RoutingContext ctx) {
        upgrade(ctx, Role.SPEAKER, (ws, room) -> new SpeakerSocket(vertx, ws, room, engines, config.limits(), metrics,
                Long.toString(connections.incrementAndGet())).start());
    }

    private void captions(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        CaptionsQuery query;
        try {
            query = CaptionsQuery.parse(req.getParam("lang"), req.getParam("since"), req.getParam("last"),
                    engines.viewerLanguages(), config.rooms().lastFinalsOnJoin());
        } catch (CaptionsQuery.Invalid e) {
            // Refused after the upgrade, so that a browser can read why.
            upgradeAndRefuse(ctx, CloseCodes.BAD_REQUEST, e.code(), e.getMessage());
            return;
        }
        upgrade(ctx, Role.VIEWER, (ws, room) -> new ViewerSocket(vertx, ws, room, query.lang(), config.limits(), metrics)
                .start(query.since(), query.last()));
    }

    private interface SocketStarter {
        void start(ServerWebSocket ws, Room room);
    }

    /**
     * Upgrades to a WebSocket, then checks room and token. Refusals are sent as an error message
     * and a 44xx close rather than an HTTP status, because browsers cannot read the status of a
     * refused WebSocket handshake. The socket is paused until it is handed over, so that nothing
     * the client sends meanwhile is lost.
     */
    private void upgrade(RoutingContext ctx, Role needed, SocketStarter starter) {
        HttpServerRequest req = ctx.request();
        if (!req.canUpgradeToWebSocket()) {
            api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "this endpoint is a WebSocket");
            return;
        }
        String roomId = ctx.pathParam("room");
        var access = api.access(req, roomId, needed);
        req.toWebSocket().onSuccess(ws -> {
            ws.pause();
            var context = vertx.getOrCreateContext();
            access.whenComplete((a, error) -> context.runOnContext(v -> {
                if (a.refusal() != null) {
                    closeWithError(ws, switch (a.refusal().status()) {
                        case 401 -> CloseCodes.UNAUTHORIZED;
                        case 403 -> CloseCodes.FORBIDDEN;
                        case 404 -> CloseCodes.NOT_FOUND;
                        case 410 -> CloseCodes.GONE;
                        default -> CloseCodes.CAPACITY;
                    }, a.refusal().code(), a.refusal().message());
                    return;
                }
                starter.start(ws, a.room());
                ws.resume();
            }));
        }).onFailure(e -> LOG.log(Level.FINE, "WebSocket upgrade failed", e));
    }

    private void upgradeAndRefuse(RoutingContext ctx, short closeCode, String code, String message) {
        if (!ctx.request().canUpgradeToWebSocket()) {
            api.fail(ctx, 400, code, message);
            return;
        }
        ctx.request().toWebSocket().onSuccess(ws -> closeWithError(ws, closeCode, code, message));
    }

    private void closeWithError(ServerWebSocket ws, short closeCode, String code, String message) {
        metrics.error(code);
        ws.writeTextMessage(ErrorMessage.encode(code, message)).onComplete(ar -> ws.close(closeCode, code));
    }
}
