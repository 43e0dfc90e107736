package io.parley.gateway.room;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.TranscriptStore;
import io.parley.gateway.store.sqlite.SqliteStore;
import io.parley.speech.recognizer.Utterance;
import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.Translator;
import io.parley.translate.routing.TranslationRouter;
import io.parley.translate.service.TextTranslator;
import io.parley.translate.service.TranslationCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The room's ordering and durability rules, on the real SQLite store, with finals fed straight
 * into a speaker stream. The translator here is a fake (it upper-cases, counts, and can hang):
 * it makes these logic tests fast and lets them count translations exactly; the end-to-end
 * tests (EndToEndCaptionTest, WhisperGatewayTest, DurabilityTest) run the same code on the real
 * engines.
 */
class RoomTest {

    @TempDir
    Path dir;
    Store store;
    ExecutorService roomWork;
    ExecutorService translations;
    FakeTranslator fake;
    RoomRegistry rooms;

    /** en→es by upper-casing; texts containing "hang" never complete. */
    static final class FakeTranslator implements Translator {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String engine() {
            return "fake";
        }

        @Override
        public Set<LanguagePair> pairs() {
            return Set.of(LanguagePair.of("en", "es"));
        }

        @Override
        public CompletableFuture<List<Translation>> translate(LanguagePair pair, List<String> texts) {
            calls.addAndGet(texts.size());
            if (texts.stream().anyMatch(t -> t.contains("hang"))) {
                return new CompletableFuture<>();
            }
            return CompletableFuture.completedFuture(texts.stream()
                    .map(t -> new Translation(t.toUpperCase(Locale.ROOT), List.of())).toList());
        }

        @Override
        public void close() {
        }
    }

    /** A viewer that keeps what it gets, optionally slow to drain. */
    static class Recorder implements CaptionSink {
        final List<Caption> got = new CopyOnWriteArrayList<>();
        final List<String> closings = new CopyOnWriteArrayList<>();
        volatile long drainDelayMs;

        @Override
        public void send(Caption caption) {
            got.add(caption);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> drained() {
            return drainDelayMs == 0 ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(drainDelayMs, TimeUnit.MILLISECONDS));
        }

        @Override
        public void closing(String code, String message, short closeCode, long retryAfterMs) {
            closings.add(code + "/" + closeCode);
        }

        List<Caption> finals() {
            return got.stream().filter(Caption::isFinal).toList();
        }
    }

    @BeforeEach
    void open() {
        open(new RoomPolicy(100, 4, 3, 10_000, 3, Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    void open(RoomPolicy policy) {
        store = SqliteStore.open(dir);
        roomWork = Executors.newFixedThreadPool(2);
        translations = Executors.newVirtualThreadPerTaskExecutor();
        fake = new FakeTranslator();
        TextTranslator translator = new TextTranslator(new TranslationRouter(List.of(fake)), new TranslationCache(1));
        rooms = new RoomRegistry(new Room.Services(store, translator, translations, roomWork, new GatewayMetrics(), policy), 100);
    }

    @AfterEach
    void close() {
        roomWork.shutdown();
        translations.shutdown();
        store.close();
    }

    static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(30, TimeUnit.SECONDS).join();
    }

    static void say(SpeakerStream s, int index, String text) {
        s.onFinal(new Utterance(index, text, "en", index, index + 0.5, List.of()));
    }

    /** Waits until the room has finished everything submitted so far. */
    static void settle(Room room) {
        for (int i = 0; i < 3; i++) {
            await(room.settled());
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aFinalIsInTheStoreBeforeAnyViewerSeesIt() {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        List<String> violations = new CopyOnWriteArrayList<>();
        CaptionSink checking = new Recorder() {
            @Override
            public void send(Caption c) {
                super.send(c);
                if (c.isFinal() && await(store.page(room.id(), TranscriptStore.ORIGINAL, c.seq() - 1, 1)).stream()
                        .noneMatch(s -> s.seq() == c.seq())) {
                    violations.add("final " + c.seq() + " was sent before it was stored");
                }
            }
        };
        await(room.addViewer(checking, null, 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        for (int i = 0; i < 40; i++) {
            say(s, i, "final number " + i);
        }
        settle(room);
        assertEquals(List.of(), violations);
        assertEquals(40, ((Recorder) checking).finals().size());
    }

    @Test
    void viewersJoiningWhileFinalsPourInGetEachFinalAfterTheirSinceOnceInOrder() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        Random random = new Random(7);
        record Joined(Recorder viewer, long since) {
        }
        List<Joined> joined = new ArrayList<>();
        int total = 300;
        for (int i = 0; i < total; i++) {
            say(s, i, "final number " + i);
            if (i % 15 == 7) {
                long since = random.nextInt(i + 1);
                Recorder v = new Recorder();
                v.drainDelayMs = random.nextBoolean() ? 5 : 0; // some catch up slowly, a page at a time
                room.addViewer(v, null, since, 0);
                joined.add(new Joined(v, since));
            }
        }
        settle(room);
        List<Caption> stored = await(store.page(room.id(), TranscriptStore.ORIGINAL, 0, 10_000));
        assertEquals(total, stored.size());
        for (Joined j : joined) {
            waitFor(() -> !j.viewer().finals().isEmpty() && j.viewer().finals().getLast().seq() == stored.getLast().seq(),
                    "a viewer to catch up");
            List<Long> expected = stored.stream().map(Caption::seq).filter(q -> q > j.since()).toList();
            assertEquals(expected, j.viewer().finals().stream().map(Caption::seq).toList(), "since " + j.since());
        }
    }

    @Test
    void aViewerWithoutSinceGetsTheLastFewThenEverythingLive() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        for (int i = 0; i < 20; i++) {
            say(s, i, "early " + i);
        }
        settle(room);
        Recorder v = new Recorder();
        await(room.addViewer(v, null, -1, 3));
        assertEquals(List.of("early 17", "early 18", "early 19"), v.finals().stream().map(Caption::text).toList());
        say(s, 20, "live one");
        settle(room);
        assertEquals("live one", v.finals().getLast().text());
        assertEquals(4, v.finals().size());
    }

    @Test
    void aLanguageIsTranslatedOnceSleepsUnwatchedAndCatchesUpWhenWatchedAgain() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        for (int i = 0; i < 30; i++) {
            say(s, i, "first part " + i);
        }
        settle(room);
        assertEquals(0, fake.calls.get(), "nobody reads Spanish yet: nothing is translated");
        Recorder es1 = new Recorder();
        Recorder es2 = new Recorder();
        await(room.addViewer(es1, "es", 0, 0));
        await(room.addViewer(es2, "es", 0, 0));
        waitFor(() -> es1.finals().size() == 30 && es2.finals().size() == 30, "the backlog in Spanish");
        assertEquals("FIRST PART 0", es1.finals().getFirst().text());
        assertEquals(30, fake.calls.get(), "each final translated once for both viewers");

        room.removeViewer(es1);
        room.removeViewer(es2);
        settle(room);
        Thread.sleep(400);
        room.releaseIdleChannels();
        settle(room);
        for (int i = 30; i < 45; i++) {
            say(s, i, "while nobody reads " + i);
        }
        settle(room);
        assertEquals(30, fake.calls.get(), "a sleeping language is not translated");

        Recorder back = new Recorder();
        long lastSeen = es1.finals().getLast().seq();
        await(room.addViewer(back, "es", lastSeen, 0));
        waitFor(() -> back.finals().size() == 15, "the missed finals in Spanish");
        assertEquals("WHILE NOBODY READS 30", back.finals().getFirst().text());
        assertEquals(45, fake.calls.get(), "what was missed is translated once, when asked for");
        List<Caption> es = await(store.page(room.id(), "es", 0, 1000));
        assertEquals(45, es.size());
        assertEquals(await(store.page(room.id(), TranscriptStore.ORIGINAL, 0, 1000)).stream().map(Caption::seq).toList(),
                es.stream().map(Caption::seq).toList(), "a translation keeps its source's seq");
    }

    @Test
    void aTranslationThatNeverComesIsDeliveredUntranslatedAndHoldsNothingUp() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        Recorder es = new Recorder();
        await(room.addViewer(es, "es", 0, 0));
        say(s, 0, "before");
        say(s, 1, "this will hang");
        say(s, 2, "after");
        waitFor(() -> es.finals().size() == 3, "all three finals in Spanish");
        assertEquals(List.of("BEFORE", "this will hang", "AFTER"), es.finals().stream().map(Caption::text).toList());
        assertTrue(es.finals().get(1).untranslated());
        assertFalse(es.finals().get(2).untranslated());
    }

    @Test
    void theLanguagesOfARoomAreCapped() {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        await(room.addViewer(new Recorder(), "es", 0, 0));
        await(room.addViewer(new Recorder(), "fr", 0, 0));
        await(room.addViewer(new Recorder(), "de", 0, 0));
        var refused = room.addViewer(new Recorder(), "it", 0, 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class, refused::join);
        assertEquals("capacity_reached", RoomRefusal.in(e).orElseThrow().code());
    }

    @Test
    void storedFinalsAreCappedToTheNewest() throws Exception {
        close();
        open(new RoomPolicy(100, 4, 3, 10, 3, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(5)));
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        for (int i = 0; i < 35; i++) {
            say(s, i, "final " + i);
        }
        settle(room);
        waitFor(() -> await(store.streams(room.id())).get(TranscriptStore.ORIGINAL).count() == 10, "the cap");
        assertEquals("final 25", await(store.page(room.id(), TranscriptStore.ORIGINAL, 0, 100)).getFirst().text());
    }

    @Test
    void afterARestartNumberingContinuesAboveEverythingSeen() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        Recorder v = new Recorder();
        await(room.addViewer(v, null, 0, 0));
        for (int i = 0; i < 5; i++) {
            s.onPartial(new Utterance(i, "partial " + i, "en", i, i + 0.2, List.of()));
            say(s, i, "final " + i);
        }
        settle(room);
        long highestSeen = v.got.stream().mapToLong(Caption::seq).max().orElseThrow();
        long highestSegment = v.got.stream().mapToLong(Caption::segment).max().orElseThrow();
        // A new registry on the same store: the gateway after a crash.
        RoomRegistry again = new RoomRegistry(rooms.services(), 100);
        Room reloaded = await(again.open(room.id())).orElseThrow();
        SpeakerStream s2 = reloaded.addSpeaker("Ana", "en", new Recorder());
        Recorder v2 = new Recorder();
        await(reloaded.addViewer(v2, null, 0, 0));
        assertEquals(5, v2.finals().size(), "the finals from before");
        say(s2, 0, "after the restart");
        settle(reloaded);
        Caption after = v2.finals().getLast();
        assertTrue(after.seq() > highestSeen, after.seq() + " after " + highestSeen);
        assertTrue(after.segment() > highestSegment);
    }

    @Test
    void drainingFinishesTheSpeakersThenTellsTheViewers() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        Recorder v = new Recorder();
        await(room.addViewer(v, null, 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        List<String> asked = new CopyOnWriteArrayList<>();
        s.onLifecycle(e -> { }, () -> { }, (code, message, closeCode, retry) -> {
            asked.add(code);
            // The recognizer finishes what it had: the utterance under way ends in a final.
            say(s, 0, "the last words");
            s.onEnd();
        });
        await(room.drain("server_shutdown", "restarting", (short) 1001, 2000));
        assertEquals(List.of("server_shutdown"), asked);
        assertEquals("the last words", v.finals().getLast().text(), "the final came before the goodbye");
        assertEquals(List.of("server_shutdown/1001"), v.closings);
        var late = room.addViewer(new Recorder(), null, 0, 0);
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class, late::join);
        assertEquals("room_closed", RoomRefusal.in(e).orElseThrow().code());
    }
}
