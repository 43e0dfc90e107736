package io.parley.gateway.fleet;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How an edge chooses workers from their beats, on a local (unclustered) event bus whose beats
 * the test sends itself: a fake of the fleet for a fast unit test; FleetTest runs the real one.
 */
class FleetNodesTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    static NodeLoad worker(String id, int streams, double rtf) {
        return new NodeLoad(id, "worker", "http://" + id, "whisper", streams, 8, rtf, 0, 0, 0, List.of(), false);
    }

    FleetNodes edgeSeeing(NodeLoad... workers) throws InterruptedException {
        return edgeSeeing(vertx, workers);
    }

    /** An edge's view of the fleet on a local event bus, once it has seen each worker's beat. */
    static FleetNodes edgeSeeing(Vertx vertx, NodeLoad... workers) throws InterruptedException {
        FleetNodes nodes = new FleetNodes(vertx, "edge",
                () -> new NodeLoad("edge", "edge", "", "", 0, 0, 0, 0, 0, 0, List.of(), false));
        nodes.start(null);
        for (NodeLoad w : workers) {
            vertx.eventBus().publish(FleetNodes.LOAD_ADDRESS, w.toJson());
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (nodes.all().size() < workers.length + 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return nodes;
    }

    @Test
    void speakersArrivingTogetherAreSpreadOverIdleWorkers() throws Exception {
        FleetNodes nodes = edgeSeeing(worker("a", 0, 0), worker("b", 0, 0));
        Map<String, Integer> placed = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            placed.merge(nodes.leastBusyWorker(Set.of(), 2.0).orElseThrow().node(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 2, "b", 2), placed);
    }

    @Test
    void aWorkerBehindRealTimeOrFullTakesNothingAndAFullFleetRefuses() throws Exception {
        FleetNodes nodes = edgeSeeing(worker("slow", 0, 1.2), worker("full", 8, 0.1), worker("ok", 3, 0.5));
        assertEquals("ok", nodes.leastBusyWorker(Set.of(), 2.0).orElseThrow().node());
        assertTrue(nodes.leastBusyWorker(Set.of("ok"), 2.0).isEmpty(), "no other worker can keep a stream in real time");
    }
}
