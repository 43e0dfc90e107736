package io.parley.gateway.fleet;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The fleet as this node sees it: every node's last {@link NodeLoad}, which ones are alive, and
 * the least busy worker for a new stream.
 *
 * <p>A node is gone when Hazelcast says it left, or when it has not been heard for
 * {@link #SILENCE_MILLIS}, whichever comes first: a process killed with {@code kill -9} closes
 * its sockets and Hazelcast notices within about a second, but a frozen one keeps them open, and
 * a stream must move within two seconds either way. Listeners hear of each gone node once.
 */
public final class FleetNodes {

    private static final Logger LOG = Logger.getLogger(FleetNodes.class.getName());
    static final String LOAD_ADDRESS = "parley.fleet.load";
    static final long BEAT_MILLIS = 400;
    static final long SILENCE_MILLIS = 1500;

    private record Seen(NodeLoad load, long atNanos) {
    }

    private final Vertx vertx;
    private final String self;
    private final Supplier<NodeLoad> ownLoad;
    private final Map<String, Seen> nodes = new ConcurrentHashMap<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> goneListeners = new CopyOnWriteArrayList<>();
    private long timer = -1;

    FleetNodes(Vertx vertx, String self, Supplier<NodeLoad> ownLoad) {
        this.vertx = vertx;
        this.self = self;
        this.ownLoad = ownLoad;
    }

    /** Starts listening to the others and beating; {@code cluster} may be null (a unit test on a local bus). */
    void start(ClusterManager cluster) {
        vertx.eventBus().<JsonObject>consumer(LOAD_ADDRESS, m -> {
            NodeLoad load;
            try {
                load = NodeLoad.fromJson(m.body());
            } catch (RuntimeException e) {
                return; // not a node of this version: ignored, not trusted
            }
            if (load.node() == null || gone.contains(load.node())) {
                return; // a late beat of a node already declared gone does not bring it back
            }
            nodes.put(load.node(), new Seen(load, System.nanoTime()));
        });
        if (cluster != null) {
            watch(cluster);
        }
        beat();
        timer = vertx.setPeriodic(BEAT_MILLIS, id -> {
            beat();
            long now = System.nanoTime();
            nodes.forEach((node, seen) -> {
                if (!node.equals(self) && now - seen.atNanos() > SILENCE_MILLIS * 1_000_000L) {
                    declareGone(node, "silent for " + SILENCE_MILLIS + " ms");
                }
            });
        });
    }

    /** Hazelcast's word on members that leave: faster than their silence. */
    private void watch(ClusterManager cluster) {
        cluster.nodeListener(new NodeListener() {
            @Override
            public void nodeAdded(String nodeID) {
                LOG.info(() -> "fleet: node " + nodeID + " joined");
            }

            @Override
            public void nodeLeft(String nodeID) {
                vertx.runOnContext(v -> declareGone(nodeID, "left the cluster"));
            }
        });
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void beat() {
        NodeLoad mine = ownLoad.get();
        nodes.put(self, new Seen(mine, System.nanoTime()));
        vertx.eventBus().publish(LOAD_ADDRESS, mine.toJson());
    }

    private void declareGone(String node, String why) {
        if (node.equals(self) || !gone.add(node)) {
            return;
        }
        nodes.remove(node);
        LOG.warning(() -> "fleet: node " + node + " is gone (" + why + ")");
        for (Consumer<String> l : goneListeners) {
            try {
                l.accept(node);
            } catch (RuntimeException e) {
                LOG.warning(() -> "fleet: a listener of gone nodes failed: " + e);
            }
        }
    }

    /** Told once for each node that leaves or falls silent, on an event loop. */
    public void onGone(Consumer<String> listener) {
        goneListeners.add(listener);
    }

    public String self() {
        return self;
    }

    public boolean alive(String node) {
        return node.equals(self) || (nodes.containsKey(node) && !gone.contains(node));
    }

    /** Every node alive, this one first. */
    public List<NodeLoad> all() {
        List<NodeLoad> out = new ArrayList<>();
        Seen mine = nodes.get(self);
        out.add(mine != null ? mine.load() : ownLoad.get());
        nodes.values().stream().map(Seen::load).filter(l -> !l.node().equals(self))
                .sorted(Comparator.comparing(NodeLoad::node)).forEach(out::add);
        return out;
    }

    public Optional<NodeLoad> load(String node) {
        Seen s = nodes.get(node);
        return s == null ? Optional.empty() : Optional.of(s.load());
    }

    /**
     * The least busy worker that can keep one more stream in real time, other than those in
     * {@code exclude}; empty when none can (the fleet is full). Streams this node placed since a
     * worker's last beats count as its own: speakers arriving together are spread, not all sent
     * to whichever worker looked idlest a moment ago. Ties go to any of the equals. The worker
     * chosen is counted as placed.
     */
    public synchronized Optional<NodeLoad> leastBusyWorker(Set<String> exclude, double maxBacklogSeconds) {
        long now = System.nanoTime();
        placed.values().forEach(times -> times.removeIf(t -> now - t > RECENT_PLACEMENT_NANOS));
        List<NodeLoad> candidates = new ArrayList<>(all().stream()
                .filter(l -> !exclude.contains(l.node()) && alive(l.node()))
                .map(l -> l.withExtraStreams(placed.getOrDefault(l.node(), List.of()).size()))
                .filter(l -> l.canTakeStream(maxBacklogSeconds))
                .toList());
        java.util.Collections.shuffle(candidates);
        Optional<NodeLoad> choice = candidates.stream().min(Comparator.comparingDouble(NodeLoad::busyness));
        // Counted at once, under the same lock: speakers arriving together see each other's placements.
        choice.ifPresent(l -> placed.computeIfAbsent(l.node(), n -> new java.util.concurrent.ConcurrentLinkedDeque<>())
                .add(now));
        return choice;
    }

    /** How long a placement counts before the worker's own beats show it. */
    static final long RECENT_PLACEMENT_NANOS = 3 * BEAT_MILLIS * 1_000_000L;
    private final Map<String, java.util.Collection<Long>> placed = new ConcurrentHashMap<>();
}
