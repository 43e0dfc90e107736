package io.parley.gateway.fleet;

import io.parley.gateway.config.ClusterConfig;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.ingest.SpeakerPlacement;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomFleet;
import io.parley.gateway.room.RoomRegistry;
import io.parley.gateway.room.SpeakerStream;
import io.parley.gateway.store.Store;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerStats;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This gateway as one node of a fleet. An edge holds connections: its speakers' audio is
 * recognised on workers ({@link EdgeSpeaker}), its viewers read rooms from the bus
 * ({@link RoomFeeds}). A worker runs the speech of the rooms placed on it ({@link HostedSpeakers})
 * and publishes their captions once per language for every edge ({@link FleetAudience}). A node
 * of role {@code all} is both. Which worker runs which room is in Hazelcast ({@link RoomHosts});
 * who is alive and how busy, on the bus ({@link FleetNodes}).
 */
public final class Fleet implements RoomFleet, SpeakerPlacement {

    private final Vertx vertx;
    private final ClusterConfig config;
    private final GatewayConfig gateway;
    private final Engines engines;
    private final GatewayMetrics metrics;
    private final Executor blocking;
    private final FleetNodes nodes;
    private final RoomHosts hosts;
    private final FleetAudience audience;
    private final RoomFeeds feeds;
    private final Set<EdgeSpeaker> speakers = ConcurrentHashMap.newKeySet();
    private final Map<EdgeSpeaker, SpeakerStream.Ending> endings = new ConcurrentHashMap<>();
    private HostedSpeakers hosted;
    private volatile boolean draining;
    private volatile Supplier<String> httpUrl = () -> "";
    private final LoadWindow window = new LoadWindow();

    public Fleet(Vertx vertx, GatewayConfig gateway, Store store, Engines engines, GatewayMetrics metrics, Executor roomWork,
                 Executor blocking) {
        this.vertx = vertx;
        this.config = gateway.cluster();
        this.gateway = gateway;
        this.engines = engines;
        this.metrics = metrics;
        this.blocking = blocking;
        String self = ((VertxInternal) vertx).clusterManager().getNodeId();
        this.nodes = new FleetNodes(vertx, self, this::ownLoad);
        this.hosts = new RoomHosts(vertx, nodes);
        this.audience = new FleetAudience(vertx, engines.viewerLanguages()::contains);
        this.feeds = new RoomFeeds(vertx, self, store, roomWork, gateway.rooms().policy().maxViewers());
    }

    /** Starts taking part, once the node's rooms exist and its HTTP API listens at {@code url}. */
    public void start(RoomRegistry rooms, Supplier<String> url) {
        this.httpUrl = url;
        if (config.role().worker()) {
            hosted = new HostedSpeakers(vertx, nodes.self(), rooms, engines, metrics, hosts, audience, blocking);
            hosted.start(nodes);
            audience.start();
        }
        feeds.start();
        nodes.onGone(node -> speakers.forEach(s -> s.nodeGone(node)));
        nodes.start(((VertxInternal) vertx).clusterManager());
        vertx.eventBus().<JsonObject>consumer(FleetAddresses.ROOM_CLOSED, m -> {
            String room = m.body().getString("room", "");
            feeds.closeRoom(room, ErrorCodes.ROOM_CLOSED, m.body().getString("message", "the room was closed"),
                    io.parley.gateway.ws.CloseCodes.GONE, -1);
            rooms.forget(room);
        });
        vertx.eventBus().<JsonObject>consumer(FleetAddresses.GLOSSARY, m -> {
            if (!nodes.self().equals(m.body().getString("node"))) {
                rooms.refreshGlossary(m.body().getString("room", ""));
            }
        });
        metrics.gauge("parley_fleet_nodes", "Nodes of the fleet this node sees alive, itself included.",
                () -> nodes.all().size());
        metrics.gauge("parley_fleet_edge_speakers", "Speakers connected here whose speech runs on a worker.", speakers::size);
    }

    public String nodeId() {
        return nodes.self();
    }

    public ClusterConfig.Role role() {
        return config.role();
    }

    /** Every node alive, this one first. */
    public List<NodeLoad> nodes() {
        return nodes.all();
    }

    private NodeLoad ownLoad() {
        RecognizerStats stats = engines.recognizer().stats();
        boolean worker = config.role().worker();
        int max = !worker ? 0 : engines.recognizer().engine().contains("whisper")
                ? gateway.whisper().maxSessions() : gateway.sphinx().maxSessions();
        return new NodeLoad(nodes == null ? "" : nodes.self(), config.role().label(), httpUrl.get(),
                worker ? engines.recognizer().engine() : "", worker ? stats.activeSessions() : 0, max,
                worker ? window.realTimeFactor(stats) : 0, worker ? stats.backlogSeconds() : 0,
                worker ? engines.translationQueueDepth() : 0, feeds.viewers(),
                hosted == null ? List.of() : hosted.rooms(), draining);
    }

    // ---- speakers ----

    @Override
    public SpeakerIngest openElsewhere(Room room, String language, List<String> expected, String speaker, CaptionSink echo, String streamId,
                                       Consumer<RecognizerException> onError, Runnable onEnded,
                                       SpeakerStream.Ending ending) throws IngestRefused {
        if (draining) {
            throw new IngestRefused(ErrorCodes.SERVER_SHUTDOWN, "this node is shutting down; connect to another");
        }
        EdgeSpeaker[] self = new EdgeSpeaker[1];
        EdgeSpeaker s = new EdgeSpeaker(vertx, hosts, nodes, blocking, room.id(), language, expected, speaker, echo,
                nodes.self() + "-" + streamId, room.secondsSinceCreation(), onError, () -> {
                    speakers.remove(self[0]);
                    endings.remove(self[0]);
                    onEnded.run();
                }, ending, () -> metrics.counter("parley_fleet_streams_moved_total",
                        "Speaker streams moved to another worker (one died or shut down).").incrementAndGet());
        self[0] = s;
        try {
            s.open();
        } catch (IngestRefused e) {
            if (ErrorCodes.CAPACITY.equals(e.code())) {
                metrics.counter("parley_fleet_streams_refused_total",
                        "Speaker streams refused: no worker could keep another in real time.").incrementAndGet();
            }
            throw e;
        }
        speakers.add(s);
        endings.put(s, ending);
        return new SpeakerIngest(null, s, language);
    }

    // ---- viewers ----

    @Override
    public CompletableFuture<Void> addViewer(Room room, CaptionSink viewer, String lang, long since, int last, Runnable admitted) {
        return feeds.addViewer(room, viewer, lang, since, last, admitted);
    }

    @Override
    public void removeViewer(Room room, CaptionSink viewer) {
        feeds.removeViewer(viewer);
    }

    @Override
    public int viewersNow(Room room) {
        return feeds.viewers(room.id());
    }

    public long unsentBytes() {
        return feeds.unsentBytes();
    }

    // ---- rooms ----

    @Override
    public void glossaryChanged(String room) {
        vertx.eventBus().publish(FleetAddresses.GLOSSARY, new JsonObject().put("room", room).put("node", nodes.self()));
    }

    @Override
    public void roomClosed(String room, String message) {
        vertx.eventBus().publish(FleetAddresses.ROOM_CLOSED, new JsonObject().put("room", room).put("message", message));
    }

    // ---- the end ----

    /**
     * Shutting down: no new streams here; speakers connected here finish what they said (their
     * workers make the finals) and are told to reconnect; streams of other edges that run here
     * move to other workers (by the rooms' drain, which follows); then viewers are told to
     * reconnect with since, to another edge.
     */
    public CompletableFuture<Void> drainEdge(long retryAfterMs, long timeoutMillis) {
        draining = true;
        if (hosted != null) {
            hosted.drain();
        }
        List<CompletableFuture<Void>> ended = speakers.stream().map(s -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            s.whenEnded(() -> f.complete(null));
            SpeakerStream.Ending e = endings.get(s);
            if (e != null) {
                e.finish(ErrorCodes.SERVER_SHUTDOWN, "the server is restarting; reconnect", io.parley.gateway.ws.CloseCodes.GOING_AWAY,
                        retryAfterMs);
            }
            return f;
        }).toList();
        return CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS)
                .thenCompose(v -> feeds.closeAll(ErrorCodes.SERVER_SHUTDOWN, "the server is restarting; reconnect with since",
                        io.parley.gateway.ws.CloseCodes.GOING_AWAY, retryAfterMs));
    }

    public void stop() {
        nodes.stop();
    }

    /** The recognizer's compute per second of audio over the last few seconds (its stats add up since start). */
    private static final class LoadWindow {
        private double audio;
        private double compute;
        private double rtf;

        synchronized double realTimeFactor(RecognizerStats s) {
            double da = s.audioSeconds() - audio;
            double dc = s.computeSeconds() - compute;
            if (da >= 1.0) {
                rtf = dc / da;
                audio = s.audioSeconds();
                compute = s.computeSeconds();
            } else if (s.activeSessions() == 0) {
                rtf = 0;
            }
            return rtf;
        }
    }
}
