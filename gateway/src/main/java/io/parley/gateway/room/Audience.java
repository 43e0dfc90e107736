package io.parley.gateway.room;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who reads a room: the viewers of captions as spoken, the language channels with theirs, and
 * the viewers still catching up. Touched on the room's chain only; {@link #countNow()} and
 * {@link #snapshot()} are what others may read without waiting for it.
 */
final class Audience {

    final Set<CaptionSink> asSpoken = new LinkedHashSet<>();
    final Map<String, LanguageChannel> channels = new TreeMap<>();
    /** Viewers admitted and still replaying: they count against the limit but get nothing live yet. */
    private int joining;
    private volatile int countNow;
    private volatile List<CaptionSink> snapshot = List.of();

    void joinStarted() {
        joining++;
        recount();
    }

    void joinEnded() {
        joining--;
        recount();
    }

    /** Adds a viewer that has caught up to the live audience of its language (null: as spoken). */
    void goLive(CaptionSink viewer, LanguageChannel channel) {
        (channel == null ? asSpoken : channel.viewers()).add(viewer);
        recount();
    }

    void remove(CaptionSink viewer) {
        if (!asSpoken.remove(viewer)) {
            for (LanguageChannel ch : channels.values()) {
                if (ch.viewers().remove(viewer)) {
                    ch.unwatch();
                }
            }
        }
        recount();
    }

    /** Everyone live, taken out of the audience (the room is closing). */
    List<CaptionSink> takeAll() {
        List<CaptionSink> all = new ArrayList<>(asSpoken);
        channels.values().forEach(ch -> all.addAll(ch.viewers()));
        asSpoken.clear();
        channels.values().forEach(ch -> ch.viewers().clear());
        recount();
        return all;
    }

    /** Counts again (on the chain), and publishes the count and the list for readers off it. */
    int recount() {
        List<CaptionSink> all = new ArrayList<>(asSpoken);
        channels.values().forEach(ch -> all.addAll(ch.viewers()));
        snapshot = List.copyOf(all);
        countNow = joining + all.size();
        return countNow;
    }

    int countNow() {
        return countNow;
    }

    List<CaptionSink> snapshot() {
        return snapshot;
    }
}
