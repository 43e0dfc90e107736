package io.parley.gateway.room;

import io.parley.gateway.store.Store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Brings one viewer up to date from the store, then hands it to the room's live audience.
 *
 * <p>Finals are read a page at a time and written as the viewer's connection takes them (the
 * next page waits for its write queue to drain), so a viewer catching up on a long meeting costs
 * a page of memory, and the room is never locked meanwhile. When a page comes back short, the
 * room checks on its chain whether anything was committed since; if not, the viewer goes live
 * there, so the live captions it gets start exactly after the last one replayed.
 */
final class ViewerReplay {

    static final int PAGE = 100;

    /** On the chain: whether nothing was committed after {@code cursor}, and if so, the viewer is live. */
    interface GoLive {
        boolean ifCaughtUp(long cursor);
    }

    private final Store store;
    private final String roomId;
    private final RoomChain chain;
    private final CaptionSink viewer;
    private final String stream;
    private final GoLive goLive;
    private long cursor;

    /**
     * @param chain  where {@code goLive} runs: the chain that orders the live captions the viewer joins
     * @param goLive asked once a page comes back short
     */
    ViewerReplay(Store store, String roomId, RoomChain chain, CaptionSink viewer, String stream, GoLive goLive) {
        this.store = store;
        this.roomId = roomId;
        this.chain = chain;
        this.viewer = viewer;
        this.stream = stream;
        this.goLive = goLive;
    }

    /**
     * @param since every final after this seq; negative: only the newest {@code last}
     * @return completes when the viewer is live (or was told the room closed)
     */
    CompletableFuture<Void> run(long since, int last) {
        if (since >= 0) {
            cursor = since;
            return next();
        }
        cursor = 0; // seqs start at 1
        if (last <= 0) {
            return next();
        }
        return store.latest(roomId, stream, last)
                .thenCompose(finals -> write(finals))
                .thenCompose(v -> next());
    }

    private CompletableFuture<Void> next() {
        return store.page(roomId, stream, cursor, PAGE).thenCompose(page -> {
            CompletableFuture<Void> written = write(page);
            if (page.size() == PAGE) {
                return written.thenCompose(v -> next());
            }
            return written.thenCompose(v -> chain.run(() -> goLive.ifCaughtUp(cursor)))
                    .thenCompose(live -> live ? CompletableFuture.completedFuture(null) : next());
        });
    }

    private CompletableFuture<Void> write(List<Caption> finals) {
        for (Caption c : finals) {
            if (c.seq() > cursor) {
                viewer.replay(c);
                cursor = c.seq();
            }
        }
        return finals.isEmpty() ? CompletableFuture.completedFuture(null) : viewer.drained().toCompletableFuture();
    }
}
