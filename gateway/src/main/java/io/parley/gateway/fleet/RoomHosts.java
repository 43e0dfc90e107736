package io.parley.gateway.fleet;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.RoomRefusal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Which worker runs each room's speech, in a cluster-wide Hazelcast map (room → node). One node
 * per room, so that the room's captions are numbered, stored and translated in one place, once
 * per language for the whole fleet. A room without a live host is placed on the least busy worker
 * that can keep another stream in real time; an entry naming a node that is gone is replaced
 * (compare-and-set, so two edges placing the same room at once agree).
 */
final class RoomHosts {

    static final String MAP = "parley.room-hosts";
    /** A worker whose recognizer is this far behind takes no new stream. */
    static final double MAX_BACKLOG_SECONDS = 2.0;

    private final Vertx vertx;
    private final FleetNodes nodes;

    RoomHosts(Vertx vertx, FleetNodes nodes) {
        this.vertx = vertx;
        this.nodes = nodes;
    }

    private Future<AsyncMap<String, String>> map() {
        return vertx.sharedData().getAsyncMap(MAP);
    }

    /**
     * The node that runs the room's speech, placing it if it has none alive.
     *
     * @param avoid nodes not to place it on (one that just failed it)
     * @throws RoomRefusal {@code capacity_reached} (in the future) when no worker can take it
     */
    CompletableFuture<String> place(String room, Set<String> avoid) {
        return map().compose(m -> place(m, room, avoid, 0)).toCompletionStage().toCompletableFuture();
    }

    private Future<String> place(AsyncMap<String, String> m, String room, Set<String> avoid, int attempt) {
        if (attempt > 5) {
            return Future.failedFuture(new IllegalStateException("the room's placement kept changing under this node"));
        }
        return m.get(room).compose(host -> {
            if (host != null && nodes.alive(host) && !avoid.contains(host)
                    && nodes.load(host).map(l -> !l.draining()).orElse(true)) {
                return Future.succeededFuture(host);
            }
            var choice = nodes.leastBusyWorker(avoid, MAX_BACKLOG_SECONDS);
            if (choice.isEmpty()) {
                return Future.failedFuture(new RoomRefusal(ErrorCodes.CAPACITY,
                        "no worker of the fleet can take another live stream in real time now; try again shortly"));
            }
            String chosen = choice.get().node();
            Future<Boolean> claimed = host == null
                    ? m.putIfAbsent(room, chosen).map(previous -> previous == null)
                    : m.replaceIfPresent(room, host, chosen);
            return claimed.compose(won -> won ? Future.succeededFuture(chosen) : place(m, room, avoid, attempt + 1));
        });
    }

    /** The worker says it runs the room (it took a stream of it). */
    Future<Void> claim(String room, String node) {
        return map().compose(m -> m.get(room).compose(host -> {
            if (node.equals(host)) {
                return Future.succeededFuture();
            }
            return host == null ? m.putIfAbsent(room, node).mapEmpty() : m.replaceIfPresent(room, host, node).mapEmpty();
        }));
    }

    /** The worker no longer runs the room (its last stream ended). */
    Future<Void> release(String room, String node) {
        return map().compose(m -> m.removeIfPresent(room, node)).mapEmpty();
    }
}
