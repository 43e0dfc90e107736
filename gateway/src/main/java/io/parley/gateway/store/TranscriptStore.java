package io.parley.gateway.store;

import io.parley.gateway.room.Caption;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a room's finals are kept, per stream: {@link #ORIGINAL} for captions as spoken, and one
 * stream per language they were translated into. It is what makes finals impossible to lose: a
 * final is committed here before any viewer sees it, a viewer that reconnects with {@code since}
 * is replayed from here, and exports are rendered from here. Partials are never stored.
 *
 * <p>Every call is asynchronous: implementations do their I/O on threads of their own (or on a
 * reactive client), never on the caller's, so that an event loop may call them.
 */
public interface TranscriptStore {

    /** The stream of captions in the language they were spoken in. */
    String ORIGINAL = "original";

    /**
     * Commits a final. Finals of one stream arrive in increasing {@code seq}; the future completes
     * once the final is durable (see the README's durability policy). Committing a seq that is
     * already stored keeps the stored one, so that a commit whose answer was lost can be retried.
     */
    CompletableFuture<Void> append(String room, String stream, Caption fin);

    /** Up to {@code limit} finals of a stream with {@code seq > afterSeq}, in order. */
    CompletableFuture<List<Caption>> page(String room, String stream, long afterSeq, int limit);

    /** The newest {@code n} finals of a stream, oldest first. */
    CompletableFuture<List<Caption>> latest(String room, String stream, int n);

    /** What is stored for a room, per stream: how many finals and the highest seq. */
    CompletableFuture<Map<String, StreamState>> streams(String room);

    /** Deletes all but the newest {@code keep} finals of a stream; completes with how many went. */
    CompletableFuture<Integer> trim(String room, String stream, int keep);

    /** Deletes every final of a room, in every stream. */
    CompletableFuture<Void> deleteTranscript(String room);

    /** A stream's size and its newest final's seq (0 when empty), and the highest segment id in it. */
    record StreamState(long count, long lastSeq, long lastSegment) {
        public static final StreamState EMPTY = new StreamState(0, 0, -1);
    }
}
