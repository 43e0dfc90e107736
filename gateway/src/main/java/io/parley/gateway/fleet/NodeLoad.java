package io.parley.gateway.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What one node of the fleet says about itself, twice a second, on the bus: what it is, how busy
 * its recognizer is, and the rooms whose speech it runs. Edges place speakers by it and
 * {@code GET /v1/cluster} shows it.
 *
 * @param node            the cluster manager's id of the node
 * @param role            {@code all}, {@code edge} or {@code worker}
 * @param http            where its HTTP API listens
 * @param engine          its speech engine ({@code whisper}, {@code sphinx4}); empty on an edge
 * @param streams         recognizer streams it runs now
 * @param maxStreams      recognizer streams it can run at once (0 on an edge)
 * @param realTimeFactor  recognizer compute time per second of audio, over the last few seconds
 * @param backlogSeconds  audio its recognizer has taken and not yet recognised
 * @param translationQueue texts waiting for its translators
 * @param viewers         viewers connected to it
 * @param rooms           rooms whose speech it runs
 * @param draining        whether it is shutting down (no new streams)
 */
public record NodeLoad(String node, String role, String http, String engine, int streams, int maxStreams,
                       double realTimeFactor, double backlogSeconds, int translationQueue, int viewers,
                       List<String> rooms, boolean draining) {

    public NodeLoad {
        rooms = List.copyOf(rooms);
    }

    public boolean worker() {
        return !role.equals("edge");
    }

    /** The same, with {@code n} more streams than it said (placed on it since). */
    public NodeLoad withExtraStreams(int n) {
        return n == 0 ? this : new NodeLoad(node, role, http, engine, streams + n, maxStreams, realTimeFactor, backlogSeconds,
                translationQueue, viewers, rooms, draining);
    }

    /** Whether it could take one more live stream and keep it in real time. */
    public boolean canTakeStream(double maxBacklogSeconds) {
        return worker() && !draining && streams < maxStreams && backlogSeconds <= maxBacklogSeconds
                && realTimeFactor < 1.0;
    }

    /**
     * Lower is less busy: first the streams it runs, counted against its size (a worker allowed
     * twice the default streams counts each as half), so that rooms spread; then how hard its
     * recognizer works. The real-time factor is a reading of the last seconds, weighed as half a
     * stream at most, so that a reading a beat old does not send every newcomer elsewhere.
     */
    public double busyness() {
        double size = maxStreams == 0 ? 1e-3 : maxStreams / 8.0;
        return (streams + 1.0) / size + 0.5 * Math.min(realTimeFactor, 1.0) + backlogSeconds / 10;
    }

    public JsonObject toJson() {
        return new JsonObject().put("node", node).put("role", role).put("http", http).put("engine", engine)
                .put("streams", streams).put("maxStreams", maxStreams)
                .put("realTimeFactor", Math.round(realTimeFactor * 1000) / 1000.0)
                .put("backlogSeconds", Math.round(backlogSeconds * 100) / 100.0)
                .put("translationQueue", translationQueue).put("viewers", viewers)
                .put("rooms", new JsonArray(rooms)).put("draining", draining);
    }

    /** Read from the bus; a malformed message from a node of another version is refused. */
    public static NodeLoad fromJson(JsonObject j) {
        JsonArray rooms = j.getJsonArray("rooms", new JsonArray());
        return new NodeLoad(j.getString("node"), j.getString("role", "all"), j.getString("http", ""),
                j.getString("engine", ""), j.getInteger("streams", 0), j.getInteger("maxStreams", 0),
                j.getDouble("realTimeFactor", 0.0), j.getDouble("backlogSeconds", 0.0), j.getInteger("translationQueue", 0),
                j.getInteger("viewers", 0), rooms.stream().map(String::valueOf).toList(), j.getBoolean("draining", false));
    }
}
