package io.parley.gateway.http;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.room.RoomTokens;
import io.parley.gateway.ws.Credentials;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** What every HTTP handler shares: room authorization and answers in the v1 error format. */
final class ApiSupport {

    private final RoomRegistry rooms;
    private final GatewayMetrics metrics;
    private final Optional<String> apiKey;

    ApiSupport(RoomRegistry rooms, GatewayMetrics metrics, Optional<String> apiKey) {
        this.rooms = rooms;
        this.metrics = metrics;
        this.apiKey = apiKey;
    }

    /**
     * Whether the request may do what the server's API key guards ({@code what}, for the
     * message): true when the server has no key or the request presents it; otherwise answers 401.
     */
    boolean apiKeyAccepted(RoutingContext ctx, String what) {
        if (apiKey.isEmpty()) {
            return true;
        }
        String presented = Credentials.token(ctx.request());
        if (presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                apiKey.get().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        fail(ctx, 401, ErrorCodes.UNAUTHORIZED, what + " needs the server's API key as a Bearer token");
        return false;
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
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The room named by {@code roomId}, if the request's token opens it; otherwise answers with the error. */
    Optional<Room> authorize(RoutingContext ctx, String roomId, RoomTokens.Access needed) {
        Optional<Room> room = rooms.get(roomId);
        if (room.isEmpty()) {
            fail(ctx, 404, ErrorCodes.ROOM_NOT_FOUND, "no room '" + roomId + "'");
            return Optional.empty();
        }
        String token = Credentials.token(ctx.request());
        RoomTokens.Access access = room.get().tokens().check(token);
        if (token == null) {
            fail(ctx, 401, ErrorCodes.UNAUTHORIZED, "a room token is required (Authorization: Bearer ...)");
            return Optional.empty();
        }
        if (access.ordinal() < needed.ordinal()) {
            fail(ctx, 403, ErrorCodes.FORBIDDEN, "this token does not allow that in room '" + room.get().id() + "'");
            return Optional.empty();
        }
        return room;
    }

    /** The room of the path's {@code :room}, if the request's token opens it. */
    Optional<Room> authorize(RoutingContext ctx, RoomTokens.Access needed) {
        return authorize(ctx, ctx.pathParam("room"), needed);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    void fail(RoutingContext ctx, int status, String code, String message) {
        metrics.error(code);
        json(ctx, status, ErrorMessage.of(code, message));
    }
}
