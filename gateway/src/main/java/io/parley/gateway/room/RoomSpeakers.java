package io.parley.gateway.room;

import io.parley.gateway.protocol.ErrorCodes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The speaker streams of a room, and whether the room still takes new ones. Speakers come and go
 * from transports' threads (a socket's event loop, a WHIP worker), not the room's chain, so this
 * has a lock of its own; it is never held while anything else is done.
 */
final class RoomSpeakers {

    private final Set<SpeakerStream> streams = new LinkedHashSet<>();
    /** Completes when the room has no speaker left; replaced each time the first one arrives. */
    private CompletableFuture<Void> allGone = CompletableFuture.completedFuture(null);
    private boolean closing;

    /** What a room that is closing still has to wait for. */
    record Closing(List<SpeakerStream> streams, CompletableFuture<Void> allGone) {
    }

    /** Registers a stream; refused when the room is closing or has {@code max} speakers. */
    synchronized void add(SpeakerStream s, int max, String roomId) {
        if (closing) {
            throw new RoomRefusal(ErrorCodes.ROOM_CLOSED, "the room '" + roomId + "' is closed");
        }
        if (streams.size() >= max) {
            throw new RoomRefusal(ErrorCodes.CAPACITY, "this room has as many speakers as it allows (" + max + ")");
        }
        if (streams.isEmpty()) {
            allGone = new CompletableFuture<>();
        }
        streams.add(s);
    }

    /** Forgets a stream; the future to complete if it was the last one, else null. */
    synchronized CompletableFuture<Void> remove(SpeakerStream s) {
        return streams.remove(s) && streams.isEmpty() ? allGone : null;
    }

    synchronized List<SpeakerStream> list() {
        return new ArrayList<>(streams);
    }

    synchronized boolean isEmpty() {
        return streams.isEmpty();
    }

    synchronized boolean isClosing() {
        return closing;
    }

    /** Takes no more speakers; the ones there are, and when they will all be gone. */
    synchronized Closing close() {
        closing = true;
        return new Closing(new ArrayList<>(streams), allGone);
    }
}
