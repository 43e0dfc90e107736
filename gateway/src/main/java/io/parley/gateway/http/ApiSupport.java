package io.parley.gateway.http;

import io.parley.gateway.auth.Role;
import io.parley.gateway.auth.TokenClaims;
import io.parley.gateway.auth.TokenRejected;
import io.parley.gateway.auth.TokenService;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.ws.Credentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What every HTTP handler shares: who the caller is (the API key, or a room token and what it
 * opens), and answers in the v1 error format.
 */
final class ApiSupport {

    /** Why a request was refused: HTTP status, stable code, and a message for the client. */
    record Refusal(int status, String code, String message) {
    }

    /** A request's room, or why it cannot have it. */
    record RoomAccess(Room room, TokenClaims claims, Refusal refusal) {
        static RoomAccess refused(int status, String code, String message) {
            return new RoomAccess(null, null, new Refusal(status, code, message));
        }
    }

    private final Vertx vertx;
    private final RoomRegistry rooms;
    private final TokenService tokens;
    private final GatewayMetrics metrics;
    private final Optional<String> apiKey;

    ApiSupport(Vertx vertx, RoomRegistry rooms, TokenService tokens, GatewayMetrics metrics, Optional<String> apiKey) {
        this.vertx = vertx;
        this.rooms = rooms;
        this.tokens = tokens;
        this.metrics = metrics;
        this.apiKey = apiKey;
    }

    TokenService tokens() {
        return tokens;
    }

    RoomRegistry rooms() {
        return rooms;
    }

    private boolean isApiKey(String presented) {
        return apiKey.isPresent() && presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                apiKey.get().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the request carries the API key or an admin token for every room. */
    boolean isServerAdmin(HttpServerRequest req) {
        String presented = Credentials.token(req);
        if (isApiKey(presented)) {
            return true;
        }
        try {
            return presented != null && tokens.verify(presented).isServerAdmin();
        } catch (TokenRejected e) {
            return false;
        }
    }

    /**
     * Whether the request may do what the operator guards ({@code what}, for the message):
     * creating rooms, translating text. True when the server has no API key, or the request
     * presents it or an admin token for every room; otherwise answers 401 and returns false.
     */
    boolean operatorAccepted(RoutingContext ctx, String what) {
        Optional<String> refused = operatorRefusal(Credentials.token(ctx.request()), what);
        refused.ifPresent(message -> fail(ctx, 401, ErrorCodes.UNAUTHORIZED, message));
        return refused.isEmpty();
    }

    /**
     * Why {@code presented} (a credential however the client sent it) may not do what only an
     * operator may, or empty when it may: the API key, an admin token, or anything at all on a
     * server without an API key. For APIs that answer in another shape than Parley's.
     */
    Optional<String> operatorRefusal(String presented, String what) {
        if (apiKey.isEmpty() || isApiKey(presented)) {
            return Optional.empty();
        }
        if (presented != null) {
            try {
                if (tokens.verify(presented).isServerAdmin()) {
                    return Optional.empty();
                }
            } catch (TokenRejected e) {
                return Optional.of(what + " needs the server's API key or an admin token: " + e.getMessage());
            }
        }
        return Optional.of(what + " needs the server's API key (or an admin token)");
    }

    /**
     * The open room {@code roomId} if the request's credentials open it for {@code needed}. A
     * token minted by a host application for a room that does not exist yet makes the room (its
     * first use); a closed room stays closed ({@code room_closed}, 410). The API key acts as an
     * admin of every room. Never fails: refusals are in the result.
     */
    CompletableFuture<RoomAccess> access(HttpServerRequest req, String roomId, Role needed) {
        return access(Credentials.token(req), roomId, needed);
    }

    /** As {@link #access(HttpServerRequest, String, Role)}, for a credential found however its client sends it. */
    CompletableFuture<RoomAccess> access(String presented, String roomId, Role needed) {
        if (presented == null) {
            return done(RoomAccess.refused(401, ErrorCodes.UNAUTHORIZED,
                    "a room token is required (Authorization: Bearer ..., or the token query parameter)"));
        }
        TokenClaims claims;
        if (isApiKey(presented)) {
            claims = new TokenClaims(TokenClaims.ANY_ROOM, Role.ADMIN, Long.MAX_VALUE, 0, null);
        } else {
            try {
                claims = tokens.verify(presented);
            } catch (TokenRejected e) {
                return done(RoomAccess.refused(401, ErrorCodes.UNAUTHORIZED, e.getMessage()));
            }
        }
        if (roomId == null || !TokenService.ROOM_ID.matcher(roomId).matches()) {
            return done(RoomAccess.refused(404, ErrorCodes.ROOM_NOT_FOUND, "no room '" + clip(roomId) + "'"));
        }
        if (!claims.opens(roomId, Role.VIEWER, 0)) {
            return done(RoomAccess.refused(403, ErrorCodes.FORBIDDEN, "this token is for another room"));
        }
        if (!claims.role().allows(needed)) {
            return done(RoomAccess.refused(403, ErrorCodes.FORBIDDEN, "a " + claims.role().claim()
                    + " token does not allow that in room '" + roomId + "'"));
        }
        TokenClaims c = claims;
        CompletableFuture<Optional<Room>> room = claims.isServerAdmin() ? rooms.open(roomId)
                : rooms.openOrCreate(roomId, claims.keyId());
        return room.thenCompose(found -> {
            if (found.isPresent()) {
                if (!c.opens(roomId, needed, found.get().tokensNotBefore())) {
                    return done(RoomAccess.refused(401, ErrorCodes.UNAUTHORIZED,
                            "this token was issued before the room '" + roomId + "' was made"));
                }
                return done(new RoomAccess(found.get(), c, null));
            }
            return rooms.record(roomId).thenApply(record -> record.isPresent()
                    ? RoomAccess.refused(410, ErrorCodes.ROOM_CLOSED, "the room '" + roomId + "' was closed")
                    : RoomAccess.refused(404, ErrorCodes.ROOM_NOT_FOUND, "no room '" + roomId + "'"));
        }).exceptionally(e -> cause(e) instanceof io.parley.gateway.room.RoomRefusal r
                ? RoomAccess.refused(503, r.code(), r.getMessage())
                : RoomAccess.refused(503, ErrorCodes.STORE_UNAVAILABLE, "the room could not be read from the store; try again"));
    }

    /**
     * {@link #access} for an HTTP handler: continues on the request's event loop with the room,
     * or answers the refusal.
     */
    void withRoom(RoutingContext ctx, String roomId, Role needed, java.util.function.BiConsumer<Room, TokenClaims> then) {
        var context = vertx.getOrCreateContext();
        access(ctx.request(), roomId, needed).whenComplete((a, e) -> context.runOnContext(v -> {
            if (a.refusal() != null) {
                if (a.refusal().status() == 503) {
                    ctx.response().putHeader("Retry-After", "2");
                }
                fail(ctx, a.refusal().status(), a.refusal().code(), a.refusal().message());
            } else {
                then.accept(a.room(), a.claims());
            }
        }));
    }

    /** The room of the path's {@code :room}. */
    void withRoom(RoutingContext ctx, Role needed, java.util.function.BiConsumer<Room, TokenClaims> then) {
        withRoom(ctx, ctx.pathParam("room"), needed, then);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** A client-given value, shortened and stripped of control characters, for an error message. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cc}|\\p{Cf}", "?");
    }

    /** The request's body as a JSON object, or null when it is not one. */
    static JsonObject jsonObject(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The failure a future completed with, out of its CompletionException wrapper. */
    static Throwable cause(Throwable error) {
        while ((error instanceof CompletionException || error instanceof java.util.concurrent.ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    void fail(RoutingContext ctx, int status, String code, String message) {
        metrics.error(code);
        json(ctx, status, ErrorMessage.of(code, message));
    }
}
