package io.parley.gateway.room;

import io.parley.gateway.store.RoomRecord;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.TranscriptStore;
import io.parley.gateway.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RoomFeed}: an edge's copy of one stream of a room, fed from the event bus. The bus is
 * not here: the test calls {@link RoomFeed#received} itself with the {@code prev} a worker's
 * publisher would send, and appends to the real SQLite store what that worker would have
 * committed first. Messages lost on the bus are simply not passed on. The viewers are recording
 * fakes of a unit test; the end-to-end test on the real parts (a Hazelcast fleet of gateway
 * processes on PostgreSQL) is {@code e2e/FleetTest}.
 */
class RoomFeedTest {

    @TempDir
    Path dir;
    SqliteStore sqlite;
    /** The SQLite store, counting the pages read from it: how a test sees that the feed went to the store. */
    Store store;
    final AtomicInteger pagesRead = new AtomicInteger();
    ExecutorService work;

    /** A viewer that keeps what it gets, optionally slow (or never done) taking a replayed page. */
    static class Recorder implements CaptionSink {
        final List<Caption> got = new CopyOnWriteArrayList<>();
        final List<String> closings = new CopyOnWriteArrayList<>();
        volatile long drainDelayMs;
        volatile CompletableFuture<Void> drainGate;

        @Override
        public void send(Caption caption) {
            got.add(caption);
        }

        @Override
        public CompletionStage<Void> drained() {
            CompletableFuture<Void> gate = drainGate;
            if (gate != null) {
                return gate;
            }
            return drainDelayMs == 0 ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(drainDelayMs, TimeUnit.MILLISECONDS));
        }

        @Override
        public void closing(String code, String message, short closeCode, long retryAfterMs) {
            closings.add(code + "/" + closeCode + "/" + retryAfterMs);
        }

        List<Long> finalSeqs() {
            return got.stream().filter(c -> c.isFinal() && !c.text().isBlank()).map(Caption::seq).toList();
        }

        long lastFinal() {
            List<Long> f = finalSeqs();
            return f.isEmpty() ? 0 : f.getLast();
        }
    }

    @BeforeEach
    void open() {
        sqlite = SqliteStore.open(dir);
        store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, (proxy, method, args) -> {
            if (method.getName().equals("page")) {
                pagesRead.incrementAndGet();
            }
            try {
                return method.invoke(sqlite, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        work = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() {
        work.shutdown();
        sqlite.close();
    }

    static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static int rooms;

    /** A room in the store, made the way {@link RoomRegistry#create} makes one. */
    String newRoom() {
        Instant now = Instant.now();
        String id = "feedroom" + (++rooms);
        assertTrue(await(store.insert(new RoomRecord(id, RoomSettings.defaults().toJson(), RoomRegistry.EMPTY_GLOSSARY, "k",
                now.getEpochSecond(), now, now, null, null, 0))));
        return id;
    }

    static Caption fin(long seq, String text) {
        return new Caption(seq, seq, true, "en", text, seq, seq + 0.5, 0, "Ana", List.of(), null, List.of(), false);
    }

    static Caption fin(long seq) {
        return fin(seq, "final " + seq);
    }

    static Caption partial(long seq, long segment) {
        return new Caption(seq, segment, false, "en", "partial " + seq, segment, segment + 0.2, 0, "Ana", List.of(), null,
                List.of(), false);
    }

    /** What the room's worker does before it sends a final: commits it. */
    void commit(String room, Caption c) {
        await(store.append(room, TranscriptStore.ORIGINAL, c));
    }

    RoomFeed feed(String room) {
        RoomFeed feed = new RoomFeed(store, room, TranscriptStore.ORIGINAL, work);
        await(feed.init());
        return feed;
    }

    /**
     * Waits until everything submitted to the feed's chain so far is done: the chain runs its
     * tasks in order, each after the stage of the one before (a heal's store reads included).
     */
    static void settle(RoomFeed feed) {
        try {
            java.lang.reflect.Field f = RoomFeed.class.getDeclaredField("chain");
            f.setAccessible(true);
            await(((RoomChain) f.get(feed)).run(() -> null));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    Recorder live(RoomFeed feed, long since) {
        Recorder v = new Recorder();
        await(feed.addViewer(v, since, 0, () -> { }, 1000));
        return v;
    }

    // ---- (a) a gap is healed from the store ----

    @Test
    void aFinalAfterAGapBringsTheMissedFinalsFromTheStoreFirstInOrder() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);

        commit(room, fin(1));
        feed.received(fin(1), 0);
        // 3 and 5 were committed and published, but this edge never got them (it joined the bus late,
        // or the room's speech moved to another worker that published them before this edge listened).
        commit(room, fin(3));
        commit(room, fin(5));
        commit(room, fin(7));
        settle(feed);
        int before = pagesRead.get();
        feed.received(fin(7), 5);
        settle(feed);

        assertEquals(List.of(1L, 3L, 5L, 7L), v.finalSeqs(), "the missed ones first, in order, then the new one");
        assertEquals(List.of("final 1", "final 3", "final 5", "final 7"), v.got.stream().map(Caption::text).toList());
        assertTrue(pagesRead.get() > before, "the missed finals came from the store");
    }

    @Test
    void aHealLongerThanAPageReadsEveryPage() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        int missed = RoomFeed.PAGE * 2 + 37;
        for (long s = 1; s <= missed; s++) {
            commit(room, fin(s));
        }
        commit(room, fin(missed + 1));
        feed.received(fin(missed + 1), missed);
        settle(feed);
        assertEquals(LongStream.rangeClosed(1, missed + 1).boxed().toList(), v.finalSeqs());
    }

    @Test
    void aSenderThatDoesNotKnowThePreviousFinalMakesTheFeedCheckTheStore() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        commit(room, fin(1));
        feed.received(fin(1), 0);
        commit(room, fin(2)); // published by a worker this edge never heard
        commit(room, fin(3));
        // The room's speech moved to a worker that has published nothing yet: prev -1.
        feed.received(fin(3), -1);
        settle(feed);
        assertEquals(List.of(1L, 2L, 3L), v.finalSeqs());
    }

    @Test
    void whenNothingWasMissedTheStoreIsNotRead() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        int before = pagesRead.get();
        for (long s = 1; s <= 20; s++) {
            commit(room, fin(s));
            feed.received(fin(s), s - 1);
        }
        settle(feed);
        assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), v.finalSeqs());
        assertEquals(before, pagesRead.get(), "the store was not read");
    }

    @Test
    void aFeedBegunOnAStoreWithFinalsStartsAfterThem() {
        String room = newRoom();
        for (long s = 1; s <= 5; s++) {
            commit(room, fin(s));
        }
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 5);
        int before = pagesRead.get();
        commit(room, fin(6));
        feed.received(fin(6), 5);
        settle(feed);
        assertEquals(List.of(6L), v.finalSeqs());
        assertEquals(before, pagesRead.get(), "the feed knew where the store was");
    }

    // ---- (b) never twice ----

    @Test
    void aFinalAlreadyDeliveredIsNotDeliveredAgain() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        commit(room, fin(1));
        feed.received(fin(1), 0);
        commit(room, fin(2));
        feed.received(fin(2), 1);
        feed.received(fin(2), 1); // the bus said it twice
        feed.received(fin(1), 0); // and an old one late
        commit(room, fin(3));
        commit(room, fin(4));
        feed.received(fin(4), 3); // heals 3
        feed.received(fin(3), 2); // 3's own message, late: the heal delivered it already
        settle(feed);
        assertEquals(List.of(1L, 2L, 3L, 4L), v.finalSeqs());

        // Nor do the repeats move the feed back: the next final follows 4 without a look at the store.
        int before = pagesRead.get();
        feed.received(fin(2), 1);
        commit(room, fin(5));
        feed.received(fin(5), 4);
        settle(feed);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), v.finalSeqs());
        assertEquals(before, pagesRead.get(), "a final seen before is dropped without a store read, and 5 follows 4");
    }

    @Test
    void aFinalInTheStoreWhenTheFeedBeganIsNotSentAgainWhenItsMessageArrives() {
        String room = newRoom();
        commit(room, fin(1));
        commit(room, fin(2));
        // Subscribed, then the store read: the message of final 2 was on its way meanwhile.
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        feed.received(fin(2), 1);
        commit(room, fin(3));
        feed.received(fin(3), 2);
        settle(feed);
        assertEquals(List.of(1L, 2L, 3L), v.finalSeqs(), "1 and 2 replayed, 3 live, 2 not again");
    }

    // ---- (c) partials and blank finals ----

    @Test
    void partialsAndBlankFinalsGoStraightToLiveViewersAndDoNotMoveThePosition() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        commit(room, fin(2));
        feed.received(partial(1, 0), -1);
        feed.received(fin(2), 0);
        settle(feed);
        int before = pagesRead.get();

        feed.received(partial(3, 1), -1);
        feed.received(partial(4, 1), -1);
        // A blank final closes segment 1's partials; it is never stored, and the next final's
        // prev is still 2 (the worker's publisher does not count a blank one either).
        Caption blank = fin(5, " ");
        feed.received(blank, -1);
        feed.received(partial(6, 2), -1);
        commit(room, fin(7));
        feed.received(fin(7), 2);
        feed.received(partial(8, 3), -1);
        settle(feed);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), v.got.stream().map(Caption::seq).toList(),
                "every caption, live, in the order received");
        assertEquals(List.of(2L, 7L), v.finalSeqs());
        assertEquals(before, pagesRead.get(),
                "final 7 followed final 2 as far as the feed knew: no partial or blank final moved its position,"
                        + " so the store was not read");
    }

    @Test
    void aPartialWithAHigherSeqDoesNotHideTheFinalsAfterIt() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder v = live(feed, 0);
        // Finals travel more slowly than partials (they are committed first): a partial numbered
        // after a final can reach the feed before it.
        feed.received(partial(2, 1), -1);
        commit(room, fin(1));
        feed.received(fin(1), 0);
        settle(feed);
        assertEquals(List.of(2L, 1L), v.got.stream().map(Caption::seq).toList());
        assertEquals(List.of(1L), v.finalSeqs());
    }

    // ---- (d) joining while finals pour in ----

    @Test
    void viewersJoiningWithSinceWhileFinalsPourInGetEachStoredFinalAfterSinceOnceInOrder() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 4; round++) {
            String room = newRoom();
            RoomFeed feed = feed(room);
            int finals = 150;
            AtomicLong committed = new AtomicLong();
            boolean lossy = round % 2 == 1; // odd rounds: the bus loses messages and a worker moves
            long seed = random.nextLong();
            Thread worker = Thread.ofPlatform().start(() -> {
                Random r = new Random(seed);
                long prev = 0;
                for (int i = 0; i < finals; i++) {
                    long seq = 2L * i + 2;
                    feed.received(partial(seq - 1, i), -1);
                    commit(room, fin(seq));
                    committed.set(seq);
                    boolean lost = lossy && i < finals - 1 && r.nextInt(6) == 0;
                    boolean moved = lossy && r.nextInt(25) == 0;
                    if (!lost) {
                        feed.received(fin(seq), moved ? -1 : prev);
                    }
                    prev = seq;
                }
            });
            record Joined(Recorder viewer, long since) {
            }
            List<Joined> joined = new ArrayList<>();
            // Joins spread over the whole stream: one every few finals committed.
            long nextMark = 1;
            while (worker.isAlive()) {
                if (committed.get() < nextMark) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                    continue;
                }
                nextMark = committed.get() + 2L * (3 + random.nextInt(7));
                long upTo = committed.get();
                long since = random.nextInt(4) == 0 ? 0 : (long) random.nextInt((int) upTo + 2);
                Recorder v = new Recorder();
                v.drainDelayMs = random.nextBoolean() ? 3 : 0; // some catch up slowly, a page at a time
                feed.addViewer(v, since, 0, () -> { }, 1000);
                joined.add(new Joined(v, since));
            }
            worker.join(20_000);
            assertFalse(worker.isAlive());
            assertTrue(joined.size() > 10, "viewers joined while finals came: " + joined.size());
            long last = 2L * finals;
            List<Long> stored = await(store.page(room, TranscriptStore.ORIGINAL, 0, 10_000)).stream().map(Caption::seq).toList();
            assertEquals(finals, stored.size());
            for (Joined j : joined) {
                List<Long> expected = stored.stream().filter(q -> q > j.since()).toList();
                waitFor(() -> j.viewer().finalSeqs().size() >= expected.size() || j.viewer().lastFinal() == last,
                        "a viewer (since " + j.since() + ") to catch up");
                assertEquals(expected, j.viewer().finalSeqs(), "round " + round + ", since " + j.since());
            }
            settle(feed);
            assertEquals(joined.size(), feed.viewers(), "every viewer went live");
        }
    }

    // ---- (e) closing ----

    @Test
    void closeAllTellsEveryLiveViewerWhyAndLetsThemGo() {
        String room = newRoom();
        RoomFeed feed = feed(room);
        Recorder a = live(feed, 0);
        Recorder b = live(feed, 0);
        assertEquals(2, feed.viewers());
        await(feed.closeAll("room_closed", "the room was closed", (short) 4410, -1));
        assertEquals(List.of("room_closed/4410/-1"), a.closings);
        assertEquals(List.of("room_closed/4410/-1"), b.closings);
        assertEquals(0, feed.viewers());

        commit(room, fin(1));
        feed.received(fin(1), 0);
        Recorder late = new Recorder();
        await(feed.addViewer(late, 0, 0, () -> { }, 10));
        assertEquals(List.of("room_closed/4410/-1"), late.closings, "a viewer coming to a closed feed is told at once");
        RoomFeed next = feed(room);
        Recorder c = live(next, 0);
        await(next.closeAll("server_shutdown", "restarting", (short) 1001, 2500));
        assertEquals(List.of(), a.finalSeqs(), "a closed viewer gets nothing more");
        assertEquals(List.of("room_closed/4410/-1"), a.closings, "and is told once");
        assertEquals(List.of("server_shutdown/1001/2500"), c.closings, "with the code it was given");
    }

    /**
     * A viewer still catching up when the feed is closed (its replay waits for its connection)
     * should learn of it like the live ones, as a viewer of a room running here does
     * ({@link Room#goLiveIfCaughtUp}).
     */
    @Test
    void aViewerCatchingUpWhenTheFeedClosesIsToldToo() {
        String room = newRoom();
        commit(room, fin(1));
        RoomFeed feed = feed(room);
        Recorder slow = new Recorder();
        slow.drainGate = new CompletableFuture<>();
        CompletableFuture<Void> joining = feed.addViewer(slow, 0, 0, () -> { }, 1000);
        await(feed.closeAll("room_closed", "the room was closed", (short) 4410, -1));
        slow.drainGate.complete(null);
        CompletableFuture<Void> ignored = joining.exceptionally(e -> null);
        await(ignored);
        settle(feed);
        assertEquals(List.of("room_closed/4410/-1"), slow.closings);
    }

    /** A viewer whose connection closes while it replays never goes live, and stops counting. */
    @Test
    void aViewerThatLeavesWhileCatchingUpNeverGoesLive() {
        String room = newRoom();
        commit(room, fin(1));
        RoomFeed feed = feed(room);
        Recorder gone = new Recorder();
        gone.drainGate = new CompletableFuture<>();
        CompletableFuture<Void> joining = feed.addViewer(gone, 0, 0, () -> { }, 1000);
        settle(feed);
        feed.removeViewer(gone);
        gone.drainGate.complete(null);
        await(joining.exceptionally(e -> null));
        settle(feed);
        assertEquals(0, feed.viewers());
        commit(room, fin(2));
        feed.received(fin(2), 1);
        settle(feed);
        assertEquals(List.of(1L), gone.finalSeqs(), "only its replay, nothing live after it left");
    }

    // ---- (f) the cap ----

    @Test
    void viewersPastTheCapAreRefusedAndOnesCatchingUpCount() {
        String room = newRoom();
        commit(room, fin(1));
        RoomFeed feed = feed(room);
        AtomicInteger admitted = new AtomicInteger();
        Recorder first = new Recorder();
        await(feed.addViewer(first, 0, 0, admitted::incrementAndGet, 2));
        Recorder stuck = new Recorder();
        stuck.drainGate = new CompletableFuture<>(); // its connection never takes its replay
        CompletableFuture<Void> stuckJoin = feed.addViewer(stuck, 0, 0, admitted::incrementAndGet, 2);
        settle(feed);
        assertFalse(stuckJoin.isDone());
        assertEquals(2, feed.viewers(), "two viewers, one still catching up");

        CompletableFuture<Void> refused = feed.addViewer(new Recorder(), 0, 0, admitted::incrementAndGet, 2);
        CompletionException e = assertThrows(CompletionException.class, () -> await(refused));
        assertEquals("capacity_reached", RoomRefusal.in(e).orElseThrow().code());
        assertEquals(2, admitted.get(), "a refused viewer is never told it is in");

        feed.removeViewer(first);
        settle(feed);
        Recorder later = new Recorder();
        await(feed.addViewer(later, 0, 0, admitted::incrementAndGet, 2));
        assertEquals(3, admitted.get(), "a place that came free is taken");
        assertEquals(List.of(1L), later.finalSeqs());

        stuck.drainGate.completeExceptionally(new IllegalStateException("the viewer left"));
        assertThrows(CompletionException.class, () -> await(stuckJoin));
        settle(feed);
        assertEquals(1, feed.viewers(), "a viewer whose replay failed no longer counts");
    }
}
