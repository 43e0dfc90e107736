package io.parley.gateway.journal;

import io.parley.gateway.room.Caption;

import java.util.List;

/**
 * Where a room's finals are kept, per stream: {@link #ORIGINAL} for captions as spoken, and
 * one stream per language they were translated into. It is what makes finals impossible to
 * lose: a viewer that reconnects with {@code since} is replayed from here, and exports are
 * rendered from here. Partials are never stored.
 */
public interface TranscriptStore {

    /** The stream of captions in the language they were spoken in. */
    String ORIGINAL = "original";

    /** Appends a final; finals of one stream arrive in increasing {@code seq}. */
    void append(String room, String stream, Caption fin);

    /** Finals of a stream with {@code seq > since}, in order. */
    List<Caption> since(String room, String stream, long since);

    /** Every final of a stream, in order. */
    default List<Caption> all(String room, String stream) {
        return since(room, stream, -1);
    }

    /** Number of finals in a stream. */
    int count(String room, String stream);

    /** Forgets a closed room. */
    void drop(String room);
}
