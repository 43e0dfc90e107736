package io.parley.gateway.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Somewhere captions go: a viewer's socket, or a speaker's own socket for its echo. */
public interface CaptionSink {

    /** Delivers one live caption. Must not block; may drop partials, never finals. */
    void send(Caption caption);

    /** Delivers a final from the store to a viewer catching up; by default like {@link #send}. */
    default void replay(Caption caption) {
        send(caption);
    }

    /**
     * Completes when the sink has taken what it was given so far (its connection's write queue
     * has room again), so that a replay writes a page at a time; fails if the sink is gone.
     */
    default CompletionStage<Void> drained() {
        return CompletableFuture.completedFuture(null);
    }

    /** Bytes handed to this sink and not yet taken by the network: its queue depth. */
    default long unsentBytes() {
        return 0;
    }

    /**
     * The room is going away (closed) or the server is (shutting down): tell the client why and
     * whether to come back, and close. {@code retryAfterMs} is negative when it should not.
     */
    default void closing(String code, String message, short closeCode, long retryAfterMs) {
    }
}
