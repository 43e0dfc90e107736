package io.parley.gateway.fleet;

import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.store.TranscriptStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The viewers of the fleet, as the node that runs a room's speech sees them: one bus publisher
 * per language somebody reads anywhere (and one for the captions as spoken), attached to the room
 * like a viewer. So a caption is translated once here for the whole fleet, and every edge with
 * viewers of that language takes it from the bus.
 *
 * <p>Edges say every second which languages their viewers read ({@link FleetAddresses#WATCH}); a
 * language nobody has asked for in {@link #LEASE_MILLIS} is let go, and its translation sleeps.
 * Each final carries the seq of the final before it in its stream, so that an edge that missed
 * one (it joined as it was sent, or this node took over the room from one that died) reads it
 * from the store before going on.
 */
final class FleetAudience {

    static final long LEASE_MILLIS = 5000;

    private final Vertx vertx;
    /** The caption languages this node can translate into: what an edge asks beyond them is ignored. */
    private final java.util.function.Predicate<String> translatable;
    /** room → stream → its publisher. */
    private final Map<String, Map<String, Publisher>> rooms = new ConcurrentHashMap<>();
    private final Map<String, Room> hosted = new ConcurrentHashMap<>();

    FleetAudience(Vertx vertx, java.util.function.Predicate<String> translatable) {
        this.vertx = vertx;
        this.translatable = translatable;
    }

    void start() {
        vertx.eventBus().<JsonObject>consumer(FleetAddresses.WATCH, m -> watched(m.body()));
        vertx.setPeriodic(1000, id -> expire());
    }

    /** A room's speech runs here now: its captions as spoken go on the bus. */
    void hosting(Room room) {
        if (hosted.putIfAbsent(room.id(), room) == null) {
            attach(room, TranscriptStore.ORIGINAL);
        }
    }

    /** No more speech of the room runs here. */
    void notHosting(String roomId) {
        Room room = hosted.remove(roomId);
        Map<String, Publisher> pubs = rooms.remove(roomId);
        if (room != null && pubs != null) {
            pubs.values().forEach(p -> room.removeLocalViewer(p));
        }
    }

    private void watched(JsonObject w) {
        JsonObject byRoom = w.getJsonObject("rooms", new JsonObject());
        for (String roomId : byRoom.fieldNames()) {
            Room room = hosted.get(roomId);
            if (room == null || !(byRoom.getValue(roomId) instanceof JsonArray langs)) {
                continue;
            }
            for (Object lang : langs) {
                if (lang instanceof String l && !l.equals(TranscriptStore.ORIGINAL) && translatable.test(l)) {
                    Publisher p = rooms.getOrDefault(roomId, Map.of()).get(l);
                    if (p != null) {
                        p.renewed = System.currentTimeMillis();
                    } else {
                        attach(room, l);
                    }
                }
            }
        }
    }

    private void attach(Room room, String stream) {
        Publisher p = new Publisher(room.id(), stream);
        if (rooms.computeIfAbsent(room.id(), r -> new ConcurrentHashMap<>()).putIfAbsent(stream, p) != null) {
            return;
        }
        // Live from now: what came before is in the store, where edges read it.
        room.addLiveSink(p, stream.equals(TranscriptStore.ORIGINAL) ? null : stream)
                .exceptionally(e -> {
                    rooms.getOrDefault(room.id(), new ConcurrentHashMap<>()).remove(stream, p);
                    return null;
                });
    }

    private void expire() {
        long now = System.currentTimeMillis();
        rooms.forEach((roomId, pubs) -> pubs.values().removeIf(p -> {
            if (p.stream.equals(TranscriptStore.ORIGINAL) || now - p.renewed < LEASE_MILLIS) {
                return false;
            }
            Room room = hosted.get(roomId);
            if (room != null) {
                room.removeLocalViewer(p);
            }
            return true;
        }));
    }

    /** One room's captions in one stream, published on the bus. */
    private final class Publisher implements CaptionSink {
        final String stream;
        final String address;
        volatile long renewed = System.currentTimeMillis();
        /** The seq of the last final published; -1: none yet (an edge checks the store). */
        private long lastFinal = -1;

        Publisher(String room, String stream) {
            this.stream = stream;
            this.address = FleetAddresses.roomCaptions(room, stream);
        }

        @Override
        public synchronized void send(Caption c) {
            JsonObject m = new JsonObject().put("caption", CaptionJson.toStored(c));
            if (c.isFinal() && !c.text().isBlank()) { // a blank final is never stored: it only closes partials
                m.put("prev", lastFinal);
                lastFinal = c.seq();
            }
            vertx.eventBus().publish(address, m);
        }
    }
}
