package io.parley.gateway.http;

import io.parley.gateway.fleet.Fleet;
import io.parley.gateway.fleet.NodeLoad;
import io.parley.gateway.protocol.ErrorCodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/cluster}, for an admin (the API key or an admin token): the nodes of the fleet
 * this node sees alive, their roles, streams, recognizer real-time factor and queue depths, and
 * the rooms whose speech each runs. A gateway that runs alone answers {@code clustered: false}.
 */
final class ClusterApi {

    private final ApiSupport api;
    private final Fleet fleet;

    ClusterApi(ApiSupport api, Fleet fleet) {
        this.api = api;
        this.fleet = fleet;
    }

    void mount(Router router) {
        router.get("/v1/cluster").handler(this::cluster);
    }

    private void cluster(RoutingContext ctx) {
        if (!api.isServerAdmin(ctx.request())) {
            api.fail(ctx, 401, ErrorCodes.UNAUTHORIZED, "the fleet's state is for an admin: the API key or an admin token");
            return;
        }
        JsonObject body = new JsonObject().put("clustered", fleet != null);
        if (fleet != null) {
            JsonArray nodes = new JsonArray();
            for (NodeLoad n : fleet.nodes()) {
                nodes.add(n.toJson());
            }
            body.put("self", fleet.nodeId()).put("role", fleet.role().label()).put("nodes", nodes);
        }
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
