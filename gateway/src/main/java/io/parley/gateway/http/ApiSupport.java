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

import java.util.Optional;

/** What every HTTP handler shares: room authorization and answers in the v1 error format. */
final class ApiSupport {

    private final RoomRegistry rooms;
    private final GatewayMetrics metrics;

    ApiSupport(RoomRegistry rooms, GatewayMetrics metrics) {
        this.rooms = rooms;
        this.metrics = metrics;
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
