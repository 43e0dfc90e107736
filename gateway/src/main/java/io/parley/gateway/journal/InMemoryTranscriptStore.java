package io.parley.gateway.journal;

import io.parley.gateway.room.Caption;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps transcripts in memory for the life of their room. */
public final class InMemoryTranscriptStore implements TranscriptStore {

    private final Map<String, Map<String, List<Caption>>> rooms = new ConcurrentHashMap<>();

    private List<Caption> stream(String room, String stream) {
        return rooms.computeIfAbsent(room, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(stream, s -> new ArrayList<>());
    }

    @Override
    public void append(String room, String stream, Caption fin) {
        List<Caption> list = stream(room, stream);
        synchronized (list) {
            if (!list.isEmpty() && list.getLast().seq() >= fin.seq()) {
                throw new IllegalStateException("finals of " + room + "/" + stream + " out of order: "
                        + fin.seq() + " after " + list.getLast().seq());
            }
            list.add(fin);
        }
    }

    @Override
    public List<Caption> since(String room, String stream, long since) {
        List<Caption> list = stream(room, stream);
        synchronized (list) {
            // Finals are in seq order: find the first one after `since` by binary search.
            int lo = 0, hi = list.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (list.get(mid).seq() <= since) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return new ArrayList<>(list.subList(lo, list.size()));
        }
    }

    @Override
    public int count(String room, String stream) {
        List<Caption> list = stream(room, stream);
        synchronized (list) {
            return list.size();
        }
    }

    @Override
    public void drop(String room) {
        rooms.remove(room);
    }
}
