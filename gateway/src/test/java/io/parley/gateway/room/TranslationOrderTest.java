package io.parley.gateway.room;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.TranscriptStore;
import io.parley.gateway.store.sqlite.SqliteStore;
import io.parley.speech.recognizer.RecognizedWord;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A room's translated captions ({@link LanguageChannel}, reached through {@link RoomRegistry},
 * {@link Room} and {@link SpeakerStream} as a recognizer would reach them): finals whose
 * translations finish in any order still reach a viewer of the language in the order they were
 * spoken, each once, each committed to the store first; and partials are translated sparingly
 * (at most every {@link LanguageChannel#PARTIAL_INTERVAL_NANOS} per segment, only when their
 * stable prefix grew) and never shown once their segment's final is out. The store is the real
 * SQLite one; the translator is a fake of a unit test (it upper-cases, and holds each translation
 * until the test lets it finish), as are the recorded viewers. The end-to-end test on the real
 * parts is {@code e2e/FleetTest}.
 */
class TranslationOrderTest {

    @TempDir
    Path dir;
    Store store;
    ExecutorService roomWork;
    ExecutorService translations;
    DelayableTranslator fake;
    RoomRegistry rooms;

    /** en→es by upper-casing; while {@link #hold} is set, each call waits for the test to finish it. */
    static final class DelayableTranslator implements Translator {

        /** One call to the engine, finished by the test. */
        record Call(List<String> texts, CompletableFuture<List<Translation>> result) {
            String text() {
                return String.join(" ", texts);
            }

            void finish() {
                result.complete(texts.stream().map(t -> new Translation(t.toUpperCase(Locale.ROOT), List.of())).toList());
            }
        }

        volatile boolean hold;
        /** Every text asked for, in the order asked. */
        final List<String> asked = new CopyOnWriteArrayList<>();
        /** Calls held, waiting for the test. */
        final LinkedBlockingQueue<Call> held = new LinkedBlockingQueue<>();

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
            Call call = new Call(List.copyOf(texts), new CompletableFuture<>());
            asked.add(call.text());
            if (hold) {
                held.add(call);
            } else {
                call.finish();
            }
            return call.result();
        }

        @Override
        public void close() {
        }

        /** The next {@code n} held calls, waiting for them to be made. */
        List<Call> take(int n) throws InterruptedException {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Call c = held.poll(10, TimeUnit.SECONDS);
                assertNotNull(c, "translation call " + (i + 1) + " of " + n + " was never made");
                calls.add(c);
            }
            return calls;
        }
    }

    /** A viewer that keeps what it gets. */
    static class Recorder implements CaptionSink {
        final List<Caption> got = new CopyOnWriteArrayList<>();

        @Override
        public void send(Caption caption) {
            got.add(caption);
        }

        List<Caption> finals() {
            return got.stream().filter(Caption::isFinal).toList();
        }

        List<Caption> partials() {
            return got.stream().filter(c -> !c.isFinal()).toList();
        }
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        roomWork = Executors.newFixedThreadPool(2);
        translations = Executors.newVirtualThreadPerTaskExecutor();
        fake = new DelayableTranslator();
        // No cache: every text reaches the fake, so that its calls can be counted.
        TextTranslator translator = new TextTranslator(new TranslationRouter(List.of(fake)), new TranslationCache(0));
        // A long translation timeout: a held translation is late on purpose, never given up.
        RoomPolicy policy = new RoomPolicy(100, 4, 3, 10_000, 3, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
        rooms = new RoomRegistry(new Room.Services(store, translator, translations, roomWork, new GatewayMetrics(), policy), 100);
    }

    @AfterEach
    void close() {
        fake.held.forEach(DelayableTranslator.Call::finish);
        roomWork.shutdown();
        translations.shutdown();
        store.close();
    }

    static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Waits until the room has finished everything submitted so far. */
    static void settle(Room room) {
        for (int i = 0; i < 3; i++) {
            await(room.settled());
        }
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

    static Utterance utterance(int index, String text, int stableWords) {
        List<RecognizedWord> words = new ArrayList<>();
        String[] split = text.split(" ");
        for (int i = 0; i < split.length; i++) {
            words.add(new RecognizedWord(split[i], index + i * 0.1, index + i * 0.1 + 0.1, 0.9));
        }
        return new Utterance(index, text, "en", index, index + 0.5, words, stableWords);
    }

    static void say(SpeakerStream s, int index, String text) {
        s.onFinal(utterance(index, text, text.split(" ").length));
    }

    static void partial(SpeakerStream s, int index, String text, int stableWords) {
        s.onPartial(utterance(index, text, stableWords));
    }

    /** A viewer of Spanish that checks, as each final reaches it, that the store has it in Spanish already. */
    Recorder spanishViewerCheckingTheStore(Room room, List<String> violations) {
        return new Recorder() {
            @Override
            public void send(Caption c) {
                super.send(c);
                if (!c.lang().equals("es")) {
                    violations.add("a caption in " + c.lang() + " reached a viewer of es: " + c.text());
                }
                if (c.isFinal() && await(store.page(room.id(), "es", c.seq() - 1, 1)).stream()
                        .noneMatch(stored -> stored.seq() == c.seq() && stored.text().equals(c.text()))) {
                    violations.add("final " + c.seq() + " reached the viewer before it was stored in es");
                }
            }
        };
    }

    // ---- finals ----

    @Test
    void finalsWhoseTranslationsFinishInReverseReachTheViewerInSourceOrderOnceAndStoredFirst() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        List<String> violations = new CopyOnWriteArrayList<>();
        Recorder es = spanishViewerCheckingTheStore(room, violations);
        await(room.addViewer(es, "es", 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        fake.hold = true;
        int total = LanguageChannel.IN_FLIGHT * 3;
        for (int i = 0; i < total; i++) {
            say(s, i, "final number " + i);
        }
        for (int batch = 0; batch < 3; batch++) {
            // The channel has as many translations under way as it runs at once; it waits for them.
            List<DelayableTranslator.Call> calls = new ArrayList<>(fake.take(LanguageChannel.IN_FLIGHT));
            settle(room);
            assertTrue(fake.held.isEmpty(), "no more than " + LanguageChannel.IN_FLIGHT + " translations at once");
            calls.sort(Comparator.comparingInt(TranslationOrderTest::number));
            int shownBefore = es.finals().size();
            // Every one but the oldest: none of them may be shown, since the oldest is not.
            for (int k = calls.size() - 1; k >= 1; k--) {
                calls.get(k).finish();
                settle(room);
            }
            assertEquals(shownBefore, es.finals().size(), "batch " + batch + ": nothing overtakes the oldest translation");
            calls.getFirst().finish();
            int expected = shownBefore + calls.size();
            waitFor(() -> es.finals().size() >= expected, "batch " + batch + " to be shown");
        }
        settle(room);
        List<Caption> original = await(store.page(room.id(), TranscriptStore.ORIGINAL, 0, 1000));
        assertEquals(total, original.size());
        assertEquals(original.stream().map(Caption::seq).toList(), es.finals().stream().map(Caption::seq).toList(),
                "in the order spoken, each once, with its source's seq");
        assertEquals(IntStream.range(0, total).mapToObj(i -> "FINAL NUMBER " + i).toList(),
                es.finals().stream().map(Caption::text).toList());
        assertFalse(es.finals().stream().anyMatch(Caption::untranslated));
        assertEquals(List.of(), violations);
        assertEquals(original.stream().map(Caption::seq).toList(),
                await(store.page(room.id(), "es", 0, 1000)).stream().map(Caption::seq).toList(), "stored in order too");
    }

    @Test
    void finalsWhoseTranslationsFinishInAnyOrderStillComeInSourceOrder() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        List<String> violations = new CopyOnWriteArrayList<>();
        Recorder es = spanishViewerCheckingTheStore(room, violations);
        await(room.addViewer(es, "es", 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        fake.hold = true;
        Random random = new Random(5);
        int total = 30;
        Thread speaker = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < total; i++) {
                say(s, i, "final number " + i);
            }
        });
        int finished = 0;
        while (finished < total) {
            // As many as are under way at once, finished in a shuffled order, while the speaker goes on.
            List<DelayableTranslator.Call> calls = new ArrayList<>(fake.take(Math.min(LanguageChannel.IN_FLIGHT, total - finished)));
            calls.sort(Comparator.comparingInt(TranslationOrderTest::number));
            java.util.Collections.shuffle(calls, random);
            for (DelayableTranslator.Call c : calls) {
                c.finish();
                if (random.nextBoolean()) {
                    Thread.sleep(1);
                }
            }
            finished += calls.size();
        }
        speaker.join();
        waitFor(() -> es.finals().size() >= total, "every final in Spanish");
        settle(room);
        List<Caption> original = await(store.page(room.id(), TranscriptStore.ORIGINAL, 0, 1000));
        assertEquals(original.stream().map(Caption::seq).toList(), es.finals().stream().map(Caption::seq).toList());
        assertEquals(Arrays.asList(IntStream.range(0, total).mapToObj(i -> "FINAL NUMBER " + i).toArray()),
                es.finals().stream().map(Caption::text).toList());
        assertEquals(List.of(), violations);
    }

    private static int number(DelayableTranslator.Call call) {
        String t = call.text();
        return Integer.parseInt(t.substring(t.lastIndexOf(' ') + 1));
    }

    // ---- partials ----

    @Test
    void partialsOfASegmentAreTranslatedAtMostEveryIntervalAndOnlyWhenTheirStablePrefixGrew() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        List<String> violations = new CopyOnWriteArrayList<>();
        Recorder es = spanishViewerCheckingTheStore(room, violations);
        await(room.addViewer(es, "es", 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());

        long t0 = System.nanoTime();
        partial(s, 0, "good morning", 1); // stable: "good"
        waitFor(() -> es.partials().size() == 1, "the first partial in Spanish");
        partial(s, 0, "good morning everyone", 2); // "good morning": grew, but too soon
        settle(room);
        long tooSoon = System.nanoTime() - t0;
        assumeTrue(tooSoon < LanguageChannel.PARTIAL_INTERVAL_NANOS,
                "the machine took " + tooSoon / 1_000_000 + " ms for two partials; the interval cannot be seen");
        assertEquals(List.of("good"), fake.asked, "a partial within the interval of the last one is not translated");

        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(LanguageChannel.PARTIAL_INTERVAL_NANOS) + 30);
        partial(s, 0, "good morning everyone and", 1); // "good" again: not grown
        settle(room);
        assertEquals(List.of("good"), fake.asked, "a stable prefix already translated is not translated again");

        partial(s, 0, "good morning everyone and welcome", 3); // grew, and the interval is over
        waitFor(() -> es.partials().size() == 2, "the second partial in Spanish");
        say(s, 0, "good morning everyone and welcome");
        waitFor(() -> es.finals().size() == 1, "the final in Spanish");

        assertEquals(List.of("good", "good morning everyone", "good morning everyone and welcome"), fake.asked);
        assertEquals(List.of("GOOD", "GOOD MORNING EVERYONE"), es.partials().stream().map(Caption::text).toList(),
                "a translated partial shows its stable prefix only");
        assertEquals("GOOD MORNING EVERYONE AND WELCOME", es.finals().getFirst().text());
        Caption firstPartial = es.partials().getFirst();
        assertEquals(new Caption.Source("en", "good"), firstPartial.source());
        assertEquals(List.of(), violations);

        // Each segment keeps its own pace: the next utterance's first partial is translated at once.
        partial(s, 1, "and now", 1);
        waitFor(() -> es.partials().size() == 3, "the next segment's first partial");
        assertTrue(es.partials().get(2).segment() > firstPartial.segment());
    }

    @Test
    void aPartialTranslationThatArrivesAfterItsSegmentsFinalIsNotShown() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        List<String> violations = new CopyOnWriteArrayList<>();
        Recorder es = spanishViewerCheckingTheStore(room, violations);
        await(room.addViewer(es, "es", 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        fake.hold = true;

        partial(s, 0, "see you tomorrow", 2);
        DelayableTranslator.Call late = fake.take(1).getFirst();
        assertEquals("see you", late.text());
        // While it is under way, no other partial of the segment is translated, however long it takes.
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(LanguageChannel.PARTIAL_INTERVAL_NANOS) + 30);
        partial(s, 0, "see you tomorrow then", 3);
        settle(room);
        assertTrue(fake.held.isEmpty(), "one partial translation of a segment at a time: " + fake.held);

        say(s, 0, "see you tomorrow then");
        DelayableTranslator.Call fin = fake.take(1).getFirst();
        assertEquals("see you tomorrow then", fin.text());
        fin.finish();
        waitFor(() -> es.finals().size() == 1, "the final in Spanish");

        late.finish(); // the partial's translation, after the final was shown
        settle(room);
        assertEquals(List.of(), es.partials(), "a partial that comes after its final is dropped");
        assertEquals(List.of("SEE YOU TOMORROW THEN"), es.got.stream().map(Caption::text).toList());
        assertEquals(List.of(), violations);
    }

    @Test
    void aPartialTranslationThatArrivesBeforeItsSegmentsFinalIsShown() throws Exception {
        Room room = await(rooms.create(RoomSettings.defaults(), null, "k"));
        Recorder es = new Recorder();
        await(room.addViewer(es, "es", 0, 0));
        SpeakerStream s = room.addSpeaker("Ana", "en", new Recorder());
        fake.hold = true;
        partial(s, 0, "see you tomorrow", 2);
        DelayableTranslator.Call call = fake.take(1).getFirst();
        call.finish();
        waitFor(() -> es.partials().size() == 1, "the partial in Spanish");
        say(s, 0, "see you tomorrow");
        fake.take(1).getFirst().finish();
        waitFor(() -> es.finals().size() == 1, "the final in Spanish");
        assertEquals(List.of("SEE YOU", "SEE YOU TOMORROW"), es.got.stream().map(Caption::text).toList(),
                "the partial, then its final");
    }
}
