package io.parley.gateway.room;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.store.RoomRecord;
import io.parley.gateway.store.StoreException;
import io.parley.gateway.ws.CloseCodes;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rooms of this gateway. The store has every room; the ones in use are loaded here, on
 * first use after a start, with their seq numbering, glossary and transcript state. Rooms close
 * on request or when idle, and retention is applied from here.
 */
public final class RoomRegistry {

    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A room's activity is written to the store at most this often. */
    private static final Duration ACTIVITY_FLUSH = Duration.ofMinutes(1);

    private final Room.Services services;
    private final int maxLoaded;
    private final Map<String, CompletableFuture<Optional<Room>>> loaded = new ConcurrentHashMap<>();
    private final Map<String, Long> activityFlushed = new ConcurrentHashMap<>();

    public RoomRegistry(Room.Services services, int maxLoaded) {
        this.services = services;
        this.maxLoaded = maxLoaded;
    }

    public Room.Services services() {
        return services;
    }

    /**
     * Makes a room with a fresh id.
     *
     * @param retention how long finals are kept; null: until the room closes
     * @param keyId     the key its first tokens are signed with (for the record)
     */
    public CompletableFuture<Room> create(RoomSettings settings, Duration retention, String keyId) {
        if (loaded.size() >= maxLoaded) {
            return CompletableFuture.failedFuture(new RoomRefusal(ErrorCodes.CAPACITY,
                    "the server has as many rooms open as it allows (" + maxLoaded + ")"));
        }
        Instant now = Instant.now();
        RoomRecord record = new RoomRecord(randomId(), settings.toJson(), EMPTY_GLOSSARY, keyId, now.getEpochSecond(),
                now, now, retention, null, 0);
        return services.store().insert(record).thenCompose(inserted -> inserted
                ? adopt(record)
                : create(settings, retention, keyId)); // an id already taken: draw again
    }

    static final String EMPTY_GLOSSARY = "{\"terms\":[],\"doNotTranslate\":[]}";

    /**
     * A room a host application named in a token it minted itself: made with default settings
     * on first use. A closed room is not made again: its tombstone keeps its id taken.
     */
    public CompletableFuture<Optional<Room>> openOrCreate(String id, String keyId) {
        return open(id).thenCompose(found -> {
            if (found.isPresent()) {
                return CompletableFuture.completedFuture(found);
            }
            if (loaded.size() >= maxLoaded) {
                return CompletableFuture.failedFuture(new RoomRefusal(ErrorCodes.CAPACITY,
                        "the server has as many rooms open as it allows (" + maxLoaded + ")"));
            }
            Instant now = Instant.now();
            RoomRecord record = new RoomRecord(id, RoomSettings.defaults().toJson(), EMPTY_GLOSSARY, keyId, 0, now, now,
                    null, null, 0);
            return services.store().insert(record).thenCompose(inserted -> inserted
                    ? adopt(record).thenApply(Optional::of)
                    : open(id)); // made meanwhile (or closed): whatever the store has
        });
    }

    private CompletableFuture<Room> adopt(RoomRecord record) {
        CompletableFuture<Optional<Room>> f = Room.load(record, services).thenApply(Optional::of);
        loaded.put(record.id(), f);
        return f.thenApply(Optional::orElseThrow);
    }

    /** The open room with this id, loaded if it was not; empty if there is none or it is closed. */
    public CompletableFuture<Optional<Room>> open(String id) {
        if (id == null || !io.parley.gateway.auth.TokenService.ROOM_ID.matcher(id).matches()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<Room>> existing = loaded.get(id);
        if (existing != null) {
            return existing.thenApply(r -> r.filter(room -> !room.isClosing()));
        }
        CompletableFuture<Optional<Room>> loading = new CompletableFuture<>();
        CompletableFuture<Optional<Room>> raced = loaded.putIfAbsent(id, loading);
        if (raced != null) {
            return raced;
        }
        services.store().find(id).thenCompose(record -> record.filter(RoomRecord::open)
                        .map(r -> Room.load(r, services).thenApply(Optional::of))
                        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())))
                .whenComplete((room, error) -> {
                    if (error != null || room.isEmpty()) {
                        loaded.remove(id, loading);
                    }
                    if (error != null) {
                        loading.completeExceptionally(error);
                    } else {
                        loading.complete(room);
                    }
                });
        return loading;
    }

    /**
     * The room as the store has it now, for a node of a fleet about to run its speech: a copy
     * loaded earlier (for viewers, or while another node ran the room) has stale numbering and
     * transcript state, so unless this node runs speakers of the room already, it is loaded again.
     */
    public CompletableFuture<Optional<Room>> openFresh(String id) {
        CompletableFuture<Optional<Room>> existing = loaded.get(id);
        if (existing != null) {
            Optional<Room> room = existing.getNow(Optional.empty());
            if (room.isPresent() && room.get().speakers().isEmpty()) {
                loaded.remove(id, existing);
            }
        }
        return open(id);
    }

    /** What the store knows of a room, open or closed (to tell "no such room" from "closed"). */
    public CompletableFuture<Optional<RoomRecord>> record(String id) {
        if (id == null || !io.parley.gateway.auth.TokenService.ROOM_ID.matcher(id).matches()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return services.store().find(id);
    }

    /**
     * The stored finals of a closed room that keeps its transcript (a retention), for an admin:
     * every final of the language that was translated before the room closed.
     */
    public CompletableFuture<List<Caption>> closedTranscript(String id, String stream) {
        return TranscriptPages.readAll(services.store(), id, stream);
    }

    /** Rooms loaded now. */
    public List<Room> loadedRooms() {
        List<Room> out = new ArrayList<>();
        for (CompletableFuture<Optional<Room>> f : loaded.values()) {
            Optional<Room> r = f.getNow(Optional.empty());
            r.ifPresent(out::add);
        }
        return out;
    }

    public int size() {
        return loaded.size();
    }

    /**
     * Closes a room: its speakers' last finals are made, its viewers told (4410 {@code room_closed}),
     * its tokens stop opening it, and its transcript is deleted unless it has a retention.
     * Completes with false if there was no open room of that id.
     */
    public CompletableFuture<Boolean> close(String id, String why) {
        return open(id).thenCompose(room -> {
            CompletableFuture<Void> drained = room.map(r -> r.drain(ErrorCodes.ROOM_CLOSED, "the room was closed: " + why,
                    CloseCodes.GONE, -1)).orElse(CompletableFuture.completedFuture(null));
            return drained.thenCompose(v -> services.store().close(id, Instant.now()))
                    .thenCompose(closed -> {
                        loaded.remove(id);
                        activityFlushed.remove(id);
                        boolean keep = room.map(r -> r.retention() != null).orElse(false);
                        if (!closed) {
                            return CompletableFuture.completedFuture(false);
                        }
                        LOG.info(() -> "room " + id + " closed (" + why + ")");
                        if (services.fleet() != null) {
                            services.fleet().roomClosed(id, "the room was closed: " + why);
                        }
                        if (keep) {
                            return CompletableFuture.completedFuture(true);
                        }
                        return services.store().deleteTranscript(id).thenApply(x -> true);
                    });
        });
    }

    /**
     * Another node of the fleet closed a room: this node's copy of it ends (its speakers' last
     * finals are made, as in {@link #close}) and is forgotten.
     */
    public void forget(String id) {
        CompletableFuture<Optional<Room>> f = loaded.remove(id);
        activityFlushed.remove(id);
        if (f != null) {
            f.getNow(Optional.empty()).ifPresent(room -> room.drain(ErrorCodes.ROOM_CLOSED, "the room was closed",
                    CloseCodes.GONE, -1));
        }
    }

    /** Another node of the fleet replaced a room's glossary: a copy loaded here reads it again. */
    public CompletableFuture<Void> refreshGlossary(String id) {
        CompletableFuture<Optional<Room>> f = loaded.get(id);
        Optional<Room> room = f == null ? Optional.empty() : f.getNow(Optional.empty());
        if (room.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return services.store().find(id).thenAccept(record -> record.ifPresent(r -> room.get().glossaryStored(r.glossary())));
    }

    /** Closes a room the store has but this gateway never loaded (idle since before a restart). */
    private CompletableFuture<Void> closeUnloaded(String id, String why) {
        return services.store().find(id).thenCompose(record -> {
            if (record.isEmpty() || !record.get().open()) {
                return CompletableFuture.completedFuture(null);
            }
            return services.store().close(id, Instant.now()).thenCompose(closed -> {
                LOG.info(() -> "room " + id + " closed (" + why + ")");
                return record.get().retention() == null ? services.store().deleteTranscript(id) : CompletableFuture.completedFuture(null);
            });
        });
    }

    /**
     * The periodic care of the rooms: writes their activity to the store, closes those idle past
     * {@code idle}, lets unwatched languages sleep, and deletes what retention says is due
     * (tombstones of rooms closed longer ago than a token can live).
     */
    public CompletableFuture<Void> sweep(Duration idle, Duration tombstoneKeep) {
        Instant now = Instant.now();
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (Room room : loadedRooms()) {
            room.releaseIdleChannels();
            if (!room.speakers().isEmpty() || room.viewersNow() > 0) {
                room.touch(); // a speaker streaming silence, or viewers waiting for one, is still a meeting
            }
            long last = room.lastActivityMillis();
            Long flushed = activityFlushed.get(room.id());
            if (flushed == null || last - flushed >= ACTIVITY_FLUSH.toMillis()) {
                activityFlushed.put(room.id(), last);
                work.add(services.store().touch(room.id(), Instant.ofEpochMilli(last)));
            }
        }
        CompletableFuture<Void> closing = services.store().idleSince(now.minus(idle)).thenCompose(ids -> {
            List<CompletableFuture<?>> closes = new ArrayList<>();
            for (String id : ids) {
                CompletableFuture<Optional<Room>> f = loaded.get(id);
                Optional<Room> room = f == null ? Optional.empty() : f.getNow(Optional.empty());
                if (room.isPresent()) {
                    if (room.get().idleFor(idle)) {
                        closes.add(close(id, "idle for " + idle.toMinutes() + " min"));
                    }
                } else if (f == null) {
                    closes.add(closeUnloaded(id, "idle for " + idle.toMinutes() + " min"));
                }
            }
            return CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new));
        });
        work.add(closing);
        work.add(services.store().purge(now, now.minus(tombstoneKeep)));
        return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).exceptionally(e -> {
            services.metrics().storeError();
            LOG.log(Level.WARNING, "the rooms' periodic care failed; trying again at the next", RoomChain.unwrap(e));
            return null;
        });
    }

    /** Drains every loaded room for a shutdown: last finals made, viewers told to come back later. */
    public CompletableFuture<Void> drainAll(long retryAfterMs) {
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (Room room : loadedRooms()) {
            drains.add(room.drain(ErrorCodes.SERVER_SHUTDOWN, "the server is restarting; reconnect with since",
                    CloseCodes.GOING_AWAY, retryAfterMs));
        }
        return CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new));
    }

    private static String randomId() {
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The store failed under a request: answered 503, nothing lost. */
    public static boolean isStoreFailure(Throwable e) {
        return RoomChain.unwrap(e) instanceof StoreException;
    }
}
