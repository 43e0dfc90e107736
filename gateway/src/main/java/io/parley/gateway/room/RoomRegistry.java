package io.parley.gateway.room;

import io.parley.gateway.journal.TranscriptStore;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.translate.service.TextTranslator;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** The open rooms, by id. */
public final class RoomRegistry {

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final TranscriptStore journal;
    private final TextTranslator translator;
    private final Executor executor;
    private final GatewayMetrics metrics;
    private final int maxRooms;

    public RoomRegistry(TranscriptStore journal, TextTranslator translator, Executor executor,
                        GatewayMetrics metrics, int maxRooms) {
        this.journal = journal;
        this.translator = translator;
        this.executor = executor;
        this.metrics = metrics;
        this.maxRooms = maxRooms;
    }

    /** Opens a room; empty if as many rooms are open as allowed. */
    public Optional<Room> create(RoomSettings settings) {
        if (rooms.size() >= maxRooms) {
            return Optional.empty();
        }
        while (true) {
            String id = randomId();
            Room room = new Room(id, RoomTokens.generate(), settings, journal, translator, executor, metrics);
            if (rooms.putIfAbsent(id, room) == null) {
                return Optional.of(room);
            }
        }
    }

    public Optional<Room> get(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(rooms.get(id));
    }

    public int size() {
        return rooms.size();
    }

    public List<Room> all() {
        return List.copyOf(rooms.values());
    }

    /** Closes rooms that nobody has used for {@code idle}; returns how many. */
    public int closeIdle(Duration idle) {
        int closed = 0;
        for (Room room : rooms.values()) {
            if (room.idleFor(idle.toNanos()) && rooms.remove(room.id(), room)) {
                room.close();
                journal.drop(room.id());
                closed++;
            }
        }
        return closed;
    }

    private static String randomId() {
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
