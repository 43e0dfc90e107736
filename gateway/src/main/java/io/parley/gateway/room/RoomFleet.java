package io.parley.gateway.room;

import java.util.concurrent.CompletableFuture;

/**
 * How a room reaches the rest of a fleet (null when the gateway runs alone): viewers connected to
 * this node read the room's captions from the bus, wherever its speech runs. Speakers are placed
 * by {@link io.parley.gateway.ingest.SpeakerIngest}.
 */
public interface RoomFleet {

    /** Like {@link Room#addViewer(CaptionSink, String, long, int, Runnable)}, for a room whose captions come from the bus. */
    CompletableFuture<Void> addViewer(Room room, CaptionSink viewer, String lang, long since, int last, Runnable admitted);

    void removeViewer(Room room, CaptionSink viewer);

    /** The room was closed on this node: the others let its viewers and speakers go. */
    void roomClosed(String roomId, String why);

    /** The room's glossary was replaced on this node: the others read it again. */
    void glossaryChanged(String roomId);

    /** Viewers of the room connected to this node. */
    int viewersNow(Room room);
}
