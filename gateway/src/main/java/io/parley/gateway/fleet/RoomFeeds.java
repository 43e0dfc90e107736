package io.parley.gateway.fleet;

import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomFeed;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.TranscriptStore;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * An edge's viewers, one {@link RoomFeed} per room and stream they read, each fed from the bus.
 * A feed subscribes when its first viewer comes and is let go a while after its last left; while
 * it has viewers the edge tells the fleet every second, so that the room's worker keeps
 * translating their language.
 */
final class RoomFeeds {

    static final long WATCH_MILLIS = 1000;
    static final long IDLE_FEED_MILLIS = 30_000;
    /** A feed with viewers that has heard no final this long checks the store for one it missed. */
    static final long QUIET_CHECK_MILLIS = 3000;

    private record Feed(RoomFeed feed, MessageConsumer<JsonObject> consumer, CompletableFuture<RoomFeed> ready) {
    }

    private final Vertx vertx;
    private final String self;
    private final Store store;
    private final Executor work;
    private final int maxViewersPerRoom;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    /** Which feed each viewer reads (once the feed is ready). */
    private final Map<CaptionSink, CompletableFuture<RoomFeed>> viewers = new ConcurrentHashMap<>();

    RoomFeeds(Vertx vertx, String self, Store store, Executor work, int maxViewersPerRoom) {
        this.vertx = vertx;
        this.self = self;
        this.store = store;
        this.work = work;
        this.maxViewersPerRoom = maxViewersPerRoom;
    }

    void start() {
        vertx.setPeriodic(WATCH_MILLIS, id -> {
            announce();
            letIdleGo();
        });
        vertx.setPeriodic(QUIET_CHECK_MILLIS, id -> {
            for (Feed f : feeds.values()) {
                if (f.ready().isDone() && f.feed().viewers() > 0 && f.feed().quietMillis() >= QUIET_CHECK_MILLIS) {
                    f.feed().catchUp();
                }
            }
        });
    }

    private static String key(String room, String stream) {
        return room + "/" + stream;
    }

    CompletableFuture<Void> addViewer(Room room, CaptionSink viewer, String lang, long since, int last, Runnable admitted) {
        String stream = lang == null ? TranscriptStore.ORIGINAL : lang;
        if (room.viewersNow() >= maxViewersPerRoom) {
            return CompletableFuture.failedFuture(new io.parley.gateway.room.RoomRefusal(
                    io.parley.gateway.protocol.ErrorCodes.CAPACITY,
                    "this room has as many viewers on this node as it allows (" + maxViewersPerRoom + ")"));
        }
        CompletableFuture<RoomFeed> ready = feed(room.id(), stream);
        viewers.put(viewer, ready);
        return ready.thenCompose(feed -> {
            if (lang != null) {
                announce(); // the worker starts translating now, not at the next beat
            }
            return feed.addViewer(viewer, since, last, admitted, maxViewersPerRoom);
        }).whenComplete((v, e) -> {
            if (e != null) {
                viewers.remove(viewer, ready);
            }
        });
    }

    /** A viewer left; one still on its way in is let go once its feed has it (the feed keeps order). */
    void removeViewer(CaptionSink viewer) {
        CompletableFuture<RoomFeed> feed = viewers.remove(viewer);
        if (feed != null) {
            feed.thenAccept(f -> f.removeViewer(viewer));
        }
    }

    int viewers(String room) {
        int n = 0;
        for (Feed f : feeds.values()) {
            if (f.feed().roomId().equals(room)) {
                n += f.feed().viewers();
            }
        }
        return n;
    }

    int viewers() {
        return feeds.values().stream().mapToInt(f -> f.feed().viewers()).sum();
    }

    long unsentBytes() {
        return feeds.values().stream().mapToLong(f -> f.feed().unsentBytes()).sum();
    }

    /** The feed of a room's stream, subscribed and caught up with the store's position. */
    private CompletableFuture<RoomFeed> feed(String room, String stream) {
        Feed f = feeds.computeIfAbsent(key(room, stream), k -> {
            RoomFeed feed = new RoomFeed(store, room, stream, work);
            MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(FleetAddresses.roomCaptions(room, stream));
            CompletableFuture<RoomFeed> ready = new CompletableFuture<>();
            consumer.handler(m -> {
                Caption c;
                try {
                    c = CaptionJson.fromStored(m.body().getString("caption"));
                } catch (RuntimeException e) {
                    return;
                }
                feed.received(c, m.body().getLong("prev", -1L));
            });
            // Subscribed first, then the store's position: a final sent in between is in both, and
            // the feed skips what it has.
            consumer.completion().toCompletionStage().toCompletableFuture()
                    .thenCompose(v -> feed.init())
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            ready.completeExceptionally(e);
                        } else {
                            ready.complete(feed);
                        }
                    });
            return new Feed(feed, consumer, ready);
        });
        return f.ready().whenComplete((v, e) -> {
            if (e != null) {
                feeds.remove(key(room, stream), f);
                f.consumer().unregister();
            }
        });
    }

    /** Tells the fleet which languages this edge's viewers read. */
    private void announce() {
        JsonObject rooms = new JsonObject();
        for (Feed f : feeds.values()) {
            RoomFeed feed = f.feed();
            if (feed.viewers() > 0 && !feed.stream().equals(TranscriptStore.ORIGINAL)) {
                JsonArray langs = rooms.getJsonArray(feed.roomId());
                if (langs == null) {
                    langs = new JsonArray();
                    rooms.put(feed.roomId(), langs);
                }
                langs.add(feed.stream());
            }
        }
        if (!rooms.isEmpty()) {
            vertx.eventBus().publish(FleetAddresses.WATCH, new JsonObject().put("node", self).put("rooms", rooms));
        }
    }

    private void letIdleGo() {
        long now = System.currentTimeMillis();
        feeds.values().removeIf(f -> {
            boolean idle = f.ready().isDone() && f.feed().viewers() == 0 && now - f.feed().idleSinceMillis() > IDLE_FEED_MILLIS
                    && viewers.values().stream().noneMatch(v -> v.getNow(null) == f.feed()); // nobody on the way in either
            if (idle) {
                f.consumer().unregister();
            }
            return idle;
        });
    }

    /** Every viewer of the room is told why it is closed (the room was closed somewhere in the fleet). */
    CompletableFuture<Void> closeRoom(String room, String code, String message, short closeCode, long retryAfterMs) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Feed f : feeds.values()) {
            if (f.feed().roomId().equals(room)) {
                closing.add(f.feed().closeAll(code, message, closeCode, retryAfterMs));
            }
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    /** This node shuts down: every viewer is told to come back (to another edge) with since. */
    CompletableFuture<Void> closeAll(String code, String message, short closeCode, long retryAfterMs) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Feed f : feeds.values()) {
            closing.add(f.feed().closeAll(code, message, closeCode, retryAfterMs));
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }
}
