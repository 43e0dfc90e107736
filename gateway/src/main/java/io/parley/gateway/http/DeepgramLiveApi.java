package io.parley.gateway.http;

import io.parley.gateway.auth.Role;
import io.parley.gateway.config.Limits;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.ingest.SpeakerName;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deepgram's live endpoint, {@code GET /v1/listen} as a WebSocket. As Deepgram does, a request
 * that cannot be served is refused at the handshake, with an HTTP status, a JSON body and the
 * {@code dg-error} header (which Deepgram's SDKs report); only then is the socket opened.
 * {@code room=ID&speaker=Name} (Parley's extension) makes the stream a speaker in that room.
 */
final class DeepgramLiveApi {

    private static final Logger LOG = Logger.getLogger(DeepgramLiveApi.class.getName());

    private final Vertx vertx;
    private final Engines engines;
    private final SpeechRecognizer recognizer;
    private final Set<String> translatable;
    private final ApiSupport api;
    private final Limits limits;
    private final GatewayMetrics metrics;

    DeepgramLiveApi(Vertx vertx, Engines engines, Set<String> translatable, ApiSupport api, Limits limits,
                    GatewayMetrics metrics) {
        this.vertx = vertx;
        this.engines = engines;
        this.recognizer = engines.recognizer();
        this.translatable = translatable;
        this.api = api;
        this.limits = limits;
        this.metrics = metrics;
    }

    void listen(RoutingContext ctx) {
        String requestId = UUID.randomUUID().toString();
        if (!ctx.request().canUpgradeToWebSocket()) {
            DeepgramFileApi.error(ctx, 400, ErrorCodes.INVALID_REQUEST, "GET /v1/listen is Deepgram's live WebSocket;"
                    + " POST a file to /v1/listen to transcribe a recording", requestId);
            return;
        }
        DeepgramOptions options;
        try {
            options = DeepgramOptions.parse(ctx.queryParams(), recognizer.languages(), translatable, recognizer.identifiesLanguage());
        } catch (DeepgramOptions.Invalid e) {
            refuse(ctx, 400, e.code(), e.getMessage(), requestId);
            return;
        }
        String presented = VendorCredentials.bearerOrToken(ctx.request());
        if (options.room().isEmpty()) {
            var refused = api.operatorRefusal(presented, "live transcription");
            if (refused.isPresent()) {
                refuse(ctx, 401, ErrorCodes.UNAUTHORIZED, refused.get() + "; send it as Authorization: Token KEY", requestId);
                return;
            }
            accept(ctx, options, DeepgramSessions.direct(engines, options, "deepgram-" + requestId), requestId, null);
            return;
        }
        // Into a room: the credential must let its holder speak there (the API key, or the room's speaker token).
        String speaker = java.util.Optional.ofNullable(ctx.request().getParam("speaker")).orElse(SpeakerName.DEFAULT).strip();
        var badName = SpeakerName.problem(speaker);
        if (badName.isPresent()) {
            refuse(ctx, 400, ErrorCodes.INVALID_REQUEST, badName.get(), requestId);
            return;
        }
        var context = vertx.getOrCreateContext();
        ctx.request().pause();
        api.access(presented, options.room().get(), Role.SPEAKER).whenComplete((access, error) -> context.runOnContext(v -> {
            ctx.request().resume();
            if (error != null || access.refusal() != null) {
                int status = error != null ? 500 : access.refusal().status();
                refuse(ctx, status, error != null ? ErrorCodes.INTERNAL : access.refusal().code(),
                        error != null ? "the room could not be opened" : access.refusal().message(), requestId);
                return;
            }
            DeepgramLiveSocket[] socket = new DeepgramLiveSocket[1];
            accept(ctx, options, DeepgramSessions.inRoom(access.room(), engines, metrics, options, speaker,
                    "deepgram-" + requestId, why -> socket[0].roomEnding(why)), requestId, socket);
        }));
    }

    /** Upgrades, opens the first recognizer session off the event loop, then starts reading. */
    private void accept(RoutingContext ctx, DeepgramOptions options, DeepgramSessions sessions, String requestId,
                        DeepgramLiveSocket[] created) {
        var context = vertx.getOrCreateContext();
        ctx.request().toWebSocket().onSuccess(ws -> {
            ws.pause();
            DeepgramLiveSocket socket = new DeepgramLiveSocket(vertx, ws, recognizer, sessions, options, limits, metrics,
                    requestId);
            if (created != null) {
                created[0] = socket;
            }
            vertx.<Void>executeBlocking(() -> {
                socket.openSession();
                return null;
            }, false).onComplete(ar -> context.runOnContext(v -> {
                if (ar.failed()) {
                    Throwable cause = ar.cause();
                    String code = cause instanceof RecognizerException r ? r.code() : ErrorCodes.INTERNAL;
                    metrics.error(code);
                    ws.close((short) 1011, "NET-0000: " + (cause.getMessage() == null ? code : clip(cause.getMessage())));
                    return;
                }
                socket.listen();
                ws.resume();
            }));
        }).onFailure(e -> LOG.log(Level.FINE, "Deepgram WebSocket upgrade failed", e));
    }

    private void refuse(RoutingContext ctx, int status, String code, String message, String requestId) {
        metrics.error(code);
        ctx.response().putHeader("dg-error", message);
        DeepgramFileApi.error(ctx, status, code, message, requestId);
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
