package io.parley.gateway.room;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.TranscriptStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A room's captions in one stream (a language, or as spoken) as an edge of a fleet receives them
 * from the bus, and the edge's viewers of it. A viewer catches up from the store (a page at a
 * time, like a viewer of a gateway that runs alone) and then joins the live viewers on the feed's
 * chain, exactly after the last final the feed delivered.
 *
 * <p>Finals come with the seq of the final before them in the stream; when that is not the last
 * one the feed delivered (it joined as that one was sent, or the room's speech moved to another
 * worker), the feed reads what it missed from the store first. Finals are committed before they
 * are sent, so the store always has them: none is lost, none delivered twice or out of order.
 */
public final class RoomFeed {

    static final int PAGE = 100;

    private final Store store;
    private final String roomId;
    private final String stream;
    private final RoomChain chain;

    // On the chain only.
    /** Live viewers, each with the seq of the last final it has. */
    private final Map<CaptionSink, long[]> live = new LinkedHashMap<>();
    /** Viewers admitted and still replaying; those that left meanwhile, so that they do not go live. */
    private final java.util.Set<CaptionSink> joining = new java.util.HashSet<>();
    private final java.util.Set<CaptionSink> leftWhileJoining = new java.util.HashSet<>();
    /** Why the feed was closed, for viewers that finish their replay after it; null while open. */
    private Goodbye goodbye;

    private record Goodbye(String code, String message, short closeCode, long retryAfterMs) {
    }
    /** The newest final of the stream delivered (or in the store when the feed began). */
    private long lastSeq;
    private volatile int count;
    private volatile List<CaptionSink> snapshot = List.of();
    private volatile long idleSinceMillis = System.currentTimeMillis();
    private volatile long lastReceivedMillis = System.currentTimeMillis();

    public RoomFeed(Store store, String roomId, String stream, Executor work) {
        this.store = store;
        this.roomId = roomId;
        this.stream = stream;
        this.chain = new RoomChain(work, roomId + "/" + stream);
    }

    public String roomId() {
        return roomId;
    }

    public String stream() {
        return stream;
    }

    /** Reads where the store is; call once the bus subscription is in place, before any message. */
    public CompletableFuture<Void> init() {
        return chain.submit(() -> chain.resume(store.streams(roomId)).thenApply(streams -> {
            lastSeq = streams.getOrDefault(stream, TranscriptStore.StreamState.EMPTY).lastSeq();
            return null;
        }));
    }

    /**
     * A caption from the bus.
     *
     * @param prev for a final: the seq of the stream's final before it as its sender knows it (-1: unknown)
     */
    public void received(Caption c, long prev) {
        if (c.isFinal()) {
            lastReceivedMillis = System.currentTimeMillis();
        }
        chain.submit(() -> {
            if (!c.isFinal() || c.text().isBlank()) {
                sendLive(c);
                return CompletableFuture.completedFuture(null);
            }
            if (c.seq() <= lastSeq) {
                return CompletableFuture.completedFuture(null); // had it already, from the store
            }
            CompletableFuture<Void> caughtUp = prev == lastSeq ? CompletableFuture.completedFuture(null) : readMissed(c.seq());
            return caughtUp.thenRun(() -> {
                sendLive(c);
                lastSeq = c.seq();
            });
        });
    }

    /**
     * Delivers what the store has beyond the last final delivered. For a feed that has heard
     * nothing for a while: a final published while this edge's subscription or the room's new
     * worker was still settling, with no later final to reveal the gap, is found here.
     */
    public CompletableFuture<Void> catchUp() {
        return chain.submit(() -> readMissed(Long.MAX_VALUE));
    }

    /** Milliseconds since the feed last received a final from the bus. */
    public long quietMillis() {
        return System.currentTimeMillis() - lastReceivedMillis;
    }

    /** On the chain: the finals stored before {@code upTo} that the feed has not delivered. */
    private CompletableFuture<Void> readMissed(long upTo) {
        return chain.resume(store.page(roomId, stream, lastSeq, PAGE)).thenCompose(page -> {
            for (Caption c : page) {
                if (c.seq() > lastSeq && c.seq() < upTo) {
                    sendLive(c);
                    lastSeq = c.seq();
                }
            }
            boolean more = page.size() == PAGE && page.getLast().seq() < upTo;
            return more ? readMissed(upTo) : CompletableFuture.completedFuture(null);
        });
    }

    private void sendLive(Caption c) {
        for (Map.Entry<CaptionSink, long[]> v : List.copyOf(live.entrySet())) {
            long[] had = v.getValue();
            if (c.isFinal() && !c.text().isBlank()) {
                if (c.seq() <= had[0]) {
                    continue; // it read this one in its replay
                }
                had[0] = c.seq();
            }
            try {
                v.getKey().send(c);
            } catch (RuntimeException e) {
                // one broken connection must not keep a caption from the others
            }
        }
    }

    /**
     * Admits a viewer (up to {@code maxViewers} on this feed), replays the finals it asks for
     * from the store and makes it live. {@code admitted} runs before anything is sent to it.
     */
    public CompletableFuture<Void> addViewer(CaptionSink viewer, long since, int last, Runnable admitted, int maxViewers) {
        return chain.run(() -> {
            if (leftWhileJoining.remove(viewer)) {
                throw new RoomRefusal(ErrorCodes.ROOM_CLOSED, "the viewer left before it was let in");
            }
            if (live.size() + joining.size() >= maxViewers) {
                throw new RoomRefusal(ErrorCodes.CAPACITY, "this room has as many viewers on this node as it allows ("
                        + maxViewers + ")");
            }
            joining.add(viewer);
            recount();
            admitted.run();
            return null;
        }).thenCompose(x -> new ViewerReplay(store, roomId, chain, viewer, stream, cursor -> {
            if (lastSeq > cursor) {
                return false;
            }
            joining.remove(viewer);
            if (leftWhileJoining.remove(viewer)) {
                recount();
                return true; // it is gone: nothing more to send it
            }
            if (goodbye != null) {
                recount();
                viewer.closing(goodbye.code(), goodbye.message(), goodbye.closeCode(), goodbye.retryAfterMs());
                return true;
            }
            live.put(viewer, new long[]{cursor});
            recount();
            return true;
        }).run(since, last).whenComplete((v, e) -> {
            if (e != null) {
                chain.run(() -> {
                    joining.remove(viewer);
                    leftWhileJoining.remove(viewer);
                    recount();
                    return null;
                });
            }
        }));
    }

    public void removeViewer(CaptionSink viewer) {
        chain.run(() -> {
            if (live.remove(viewer) == null) {
                leftWhileJoining.add(viewer); // still replaying, or not even admitted yet: it must not go live
            }
            recount();
            return null;
        });
    }

    /** Tells every live viewer why it is being closed, and lets it go. */
    public CompletableFuture<Void> closeAll(String code, String message, short closeCode, long retryAfterMs) {
        return chain.run(() -> {
            goodbye = new Goodbye(code, message, closeCode, retryAfterMs);
            List<CaptionSink> all = new ArrayList<>(live.keySet());
            live.clear();
            recount();
            all.forEach(v -> v.closing(code, message, closeCode, retryAfterMs));
            return null;
        });
    }

    private void recount() {
        int stillJoining = 0;
        for (CaptionSink v : joining) {
            if (!leftWhileJoining.contains(v)) {
                stillJoining++;
            }
        }
        count = live.size() + stillJoining;
        snapshot = List.copyOf(live.keySet());
        if (count == 0) {
            idleSinceMillis = System.currentTimeMillis();
        }
    }

    /** Viewers live or catching up. */
    public int viewers() {
        return count;
    }

    /** Since when nobody has read the feed (meaningful while {@link #viewers()} is 0). */
    public long idleSinceMillis() {
        return idleSinceMillis;
    }

    /** Caption bytes waiting for the viewers' connections. */
    public long unsentBytes() {
        long sum = 0;
        for (CaptionSink v : snapshot) {
            sum += v.unsentBytes();
        }
        return sum;
    }
}
