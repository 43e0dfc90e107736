package io.parley.gateway.room;

/** Somewhere captions go: a viewer's socket, or a speaker's own socket for its echo. */
public interface CaptionSink {

    /** Delivers one caption. Must not block; may drop partials, never finals. */
    void send(Caption caption);

    /** Delivers a final from the journal to a viewer catching up; by default like {@link #send}. */
    default void replay(Caption caption) {
        send(caption);
    }

    /** Bytes handed to this sink and not yet taken by the network: its queue depth. */
    default long unsentBytes() {
        return 0;
    }
}
