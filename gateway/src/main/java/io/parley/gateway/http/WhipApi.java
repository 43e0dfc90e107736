package io.parley.gateway.http;

import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerName;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.auth.Role;
import io.parley.gateway.whip.WhipSession;
import io.parley.gateway.whip.WhipSessions;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * WebRTC ingest by WHIP (RFC 9725):
 * <ul>
 *   <li>{@code POST /v1/rooms/{room}/whip?language=en&speaker=Ana} with the speaker token and an
 *       {@code application/sdp} offer → {@code 201} with the answer and {@code Location:
 *       /v1/whip/{session}};</li>
 *   <li>{@code DELETE /v1/whip/{session}} with the same token ends the stream (its audio is still
 *       recognised to the last final);</li>
 *   <li>{@code PATCH} (trickle ICE, ICE restart) is answered {@code 405}: the answer already holds
 *       every candidate.</li>
 * </ul>
 */
final class WhipApi {

    static final String SDP = "application/sdp";

    private final Vertx vertx;
    private final WhipSessions sessions;
    private final ApiSupport api;

    WhipApi(Vertx vertx, WhipSessions sessions, ApiSupport api) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.api = api;
    }

    void mount(Router router) {
        router.post("/v1/rooms/:room/whip").handler(this::offer);
        router.delete("/v1/whip/:session").handler(this::end);
        router.patch("/v1/whip/:session").handler(ctx -> {
            ctx.response().putHeader("Allow", "DELETE");
            api.fail(ctx, 405, ErrorCodes.METHOD_NOT_ALLOWED, "this server does not take trickled ICE candidates or"
                    + " ICE restarts: its answer carries all its candidates; start a new session instead");
        });
    }

    private void offer(RoutingContext ctx) {
        api.withRoom(ctx, Role.SPEAKER, (room, claims) -> {
            String type = Optional.ofNullable(ctx.request().getHeader("Content-Type")).orElse("");
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith(SDP)) {
                api.fail(ctx, 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, "a WHIP offer is sent as Content-Type: "
                        + SDP + (type.isEmpty() ? "" : ", not " + type));
                return;
            }
            String language = Optional.ofNullable(ctx.request().getParam("language")).orElse("auto").strip();
            if (language.length() > 32) {
                api.fail(ctx, 400, ErrorCodes.UNSUPPORTED_LANGUAGE, "\"language\" is an ISO 639 code or auto");
                return;
            }
            // ?languages=en,pt with language auto: the languages to expect (checked against the engine at open).
            String languagesParam = Optional.ofNullable(ctx.request().getParam("languages")).orElse("").strip();
            if (languagesParam.length() > 200) {
                api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, "\"languages\" is a comma-separated list of language codes");
                return;
            }
            List<String> languages = languagesParam.isEmpty() ? List.of()
                    : Arrays.stream(languagesParam.split(",")).map(String::strip).filter(l -> !l.isEmpty()).toList();
            String speaker = Optional.ofNullable(ctx.request().getParam("speaker")).orElse(SpeakerName.DEFAULT).strip();
            Optional<String> badName = SpeakerName.problem(speaker);
            if (badName.isPresent()) {
                api.fail(ctx, 400, ErrorCodes.INVALID_REQUEST, badName.get());
                return;
            }
            var context = vertx.getOrCreateContext();
            sessions.open(room, ctx.body().asString(), language, languages, speaker).whenComplete((opened, error) ->
                    context.runOnContext(v -> {
                        if (error != null) {
                            refuse(ctx, error);
                            return;
                        }
                        String location = "/v1/whip/" + opened.session().id();
                        ctx.response().setStatusCode(201)
                                .putHeader("Content-Type", SDP)
                                .putHeader("Location", location)
                                .putHeader("X-Parley-Language", opened.language())
                                .end(opened.answerSdp());
                    }));
        });
    }

    private void end(RoutingContext ctx) {
        Optional<WhipSession> session = sessions.get(ctx.pathParam("session"));
        if (session.isEmpty()) {
            api.fail(ctx, 404, ErrorCodes.SESSION_NOT_FOUND, "no WHIP session '" + ctx.pathParam("session")
                    + "' (it may have ended already)");
            return;
        }
        // The session belongs to a room: only that room's speaker token may end it.
        api.withRoom(ctx, session.get().room().id(), Role.SPEAKER, (room, claims) -> {
            var context = vertx.getOrCreateContext();
            sessions.endAsync(session.get(), "the client sent DELETE").whenComplete((v, e) -> context.runOnContext(x ->
                    ctx.response().setStatusCode(200).end()));
        });
    }

    private void refuse(RoutingContext ctx, Throwable error) {
        Throwable cause = ApiSupport.cause(error);
        if (cause instanceof IngestRefused refused) {
            int status = switch (refused.code()) {
                case ErrorCodes.BAD_SDP, ErrorCodes.UNSUPPORTED_LANGUAGE, ErrorCodes.INVALID_REQUEST -> 400;
                case ErrorCodes.ROOM_CLOSED -> 410;
                default -> 503; // capacity, recognizer busy, WebRTC unavailable: try later or elsewhere
            };
            if (status == 503) {
                ctx.response().putHeader("Retry-After", "5");
            }
            api.fail(ctx, status, refused.code(), refused.getMessage());
        } else {
            ctx.fail(cause);
        }
    }
}
