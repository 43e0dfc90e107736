package io.parley.gateway.room;

import io.parley.gateway.store.TranscriptStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A whole stream of a room's finals, read from the store a page at a time. */
final class TranscriptPages {

    static final int PAGE = 1000;

    private TranscriptPages() {
    }

    static CompletableFuture<List<Caption>> readAll(TranscriptStore store, String room, String stream) {
        return read(store, room, stream, 0, new ArrayList<>());
    }

    private static CompletableFuture<List<Caption>> read(TranscriptStore store, String room, String stream, long after,
                                                         List<Caption> into) {
        return store.page(room, stream, after, PAGE).thenCompose(page -> {
            into.addAll(page);
            return page.size() < PAGE ? CompletableFuture.completedFuture(into)
                    : read(store, room, stream, page.getLast().seq(), into);
        });
    }
}
