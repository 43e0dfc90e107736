package io.parley.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where rooms live: settings, glossary, token bookkeeping, activity, retention and whether they
 * are closed. Asynchronous like {@link TranscriptStore}.
 */
public interface RoomStore {

    /** Adds a room; completes with false (and changes nothing) when the id is taken, open or closed. */
    CompletableFuture<Boolean> insert(RoomRecord room);

    /** The room with this id, open or closed. */
    CompletableFuture<Optional<RoomRecord>> find(String id);

    /** Replaces a room's glossary (JSON). */
    CompletableFuture<Void> updateGlossary(String id, String glossary);

    /** Records activity in a room. */
    CompletableFuture<Void> touch(String id, Instant when);

    /** Raises the room's reserved seq to {@code upTo}; durable before it completes. */
    CompletableFuture<Void> reserveSeq(String id, long upTo);

    /** Marks a room closed; completes with false if it was closed (or absent) already. */
    CompletableFuture<Boolean> close(String id, Instant when);

    /** Open rooms with no activity since {@code cutoff}. */
    CompletableFuture<List<String>> idleSince(Instant cutoff);

    /** Open rooms, newest first, at most {@code limit}. */
    CompletableFuture<List<RoomRecord>> openRooms(int limit);

    /**
     * Deletes what retention says is due at {@code now}: finals older than their room's retention,
     * and tombstones of rooms closed before {@code tombstonesBefore} (with what is left of their
     * transcripts). Completes with the number of rows deleted.
     */
    CompletableFuture<Integer> purge(Instant now, Instant tombstonesBefore);
}
