package io.parley.gateway.store;

import io.parley.gateway.room.Caption;
import io.parley.speech.recognizer.RecognizedWord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Store} must do, run on each real database (SQLite in a temporary folder,
 * PostgreSQL started by the test): the subclasses only say how to open one.
 */
abstract class StoreContract {

    /** The store under test; the same one for every test of a class. */
    abstract Store store();

    static <T> T await(CompletableFuture<T> f) {
        return f.orTimeout(30, TimeUnit.SECONDS).join();
    }

    static String newId() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static RoomRecord room(String id, Duration retention) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new RoomRecord(id, "{\"task\":\"transcribe\"}", "{\"terms\":[],\"doNotTranslate\":[]}", "k1",
                now.getEpochSecond(), now, now, retention, null, 1000);
    }

    static Caption fin(long seq, String lang, String text) {
        return new Caption(seq, seq / 2, true, lang, text, 1.25, 2.5, 3.0, "Ana",
                List.of(new RecognizedWord(text, 1.25, 2.5, 0.875)),
                lang.equals("en") ? null : new Caption.Source("en", "source " + seq), List.of("x" + seq), false);
    }

    @Test
    void theSchemaIsAtTheLatestVersion() {
        assertEquals(Schema.latest(), store().schemaVersion());
    }

    @Test
    void roomsAreKeptWithEverythingTheyHold() {
        String id = newId();
        RoomRecord r = room(id, Duration.ofDays(7));
        assertTrue(await(store().insert(r)));
        assertFalse(await(store().insert(room(id, null))), "an id is taken once");
        assertEquals(r, await(store().find(id)).orElseThrow());
        assertTrue(await(store().find(newId())).isEmpty());

        await(store().updateGlossary(id, "{\"terms\":[{\"term\":\"ticket\"}]}"));
        Instant later = r.lastActivity().plusSeconds(60);
        await(store().touch(id, later));
        await(store().touch(id, r.lastActivity()));   // activity never goes back
        await(store().reserveSeq(id, 5000));
        await(store().reserveSeq(id, 2000));         // nor does the reserved seq
        RoomRecord now = await(store().find(id)).orElseThrow();
        assertEquals("{\"terms\":[{\"term\":\"ticket\"}]}", now.glossary());
        assertEquals(later, now.lastActivity());
        assertEquals(5000, now.seqReserved());
        assertTrue(now.open());

        assertTrue(await(store().close(id, later)));
        assertFalse(await(store().close(id, later)), "closing twice changes nothing");
        assertEquals(later, await(store().find(id)).orElseThrow().closedAt());
        assertFalse(await(store().insert(room(id, null))), "a closed room's id stays taken");
    }

    @Test
    void idleAndOpenRoomsAreFound() {
        String idle = newId();
        String busy = newId();
        String closed = newId();
        Instant now = Instant.now();
        await(store().insert(room(idle, null)));
        await(store().insert(room(busy, null)));
        await(store().insert(room(closed, null)));
        await(store().touch(busy, now.plusSeconds(3600)));
        await(store().close(closed, now));
        List<String> idleIds = await(store().idleSince(now.plusSeconds(60)));
        assertTrue(idleIds.contains(idle));
        assertFalse(idleIds.contains(busy));
        assertFalse(idleIds.contains(closed), "a closed room is not idle, it is closed");
        List<String> open = await(store().openRooms(10_000)).stream().map(RoomRecord::id).toList();
        assertTrue(open.contains(idle) && open.contains(busy));
        assertFalse(open.contains(closed));
    }

    @Test
    void finalsComeBackExactlyAndInOrder() {
        String id = newId();
        await(store().insert(room(id, null)));
        for (long seq = 1; seq <= 25; seq++) {
            await(store().append(id, TranscriptStore.ORIGINAL, fin(seq, "en", "final " + seq)));
            if (seq % 2 == 0) {
                await(store().append(id, "es", fin(seq, "es", "final " + seq + " en español")));
            }
        }
        List<Caption> page = await(store().page(id, TranscriptStore.ORIGINAL, 10, 5));
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L), page.stream().map(Caption::seq).toList());
        assertEquals(fin(11, "en", "final 11"), page.getFirst(), "a stored final reads back field by field");
        assertEquals(fin(12, "es", "final 12 en español"), await(store().page(id, "es", 10, 1)).getFirst());
        assertEquals(List.of(23L, 24L, 25L), await(store().latest(id, TranscriptStore.ORIGINAL, 3)).stream()
                .map(Caption::seq).toList(), "the newest, oldest first");
        assertEquals(0, await(store().page(id, TranscriptStore.ORIGINAL, 25, 10)).size());

        Map<String, TranscriptStore.StreamState> streams = await(store().streams(id));
        assertEquals(new TranscriptStore.StreamState(25, 25, 12), streams.get(TranscriptStore.ORIGINAL));
        assertEquals(new TranscriptStore.StreamState(12, 24, 12), streams.get("es"));
        assertTrue(await(store().streams(newId())).isEmpty());

        // A retried commit (its first answer lost) changes nothing: a seq is stored once.
        await(store().append(id, TranscriptStore.ORIGINAL, fin(25, "en", "again")));
        assertEquals("final 25", await(store().latest(id, TranscriptStore.ORIGINAL, 1)).getFirst().text());
        assertEquals(25, await(store().streams(id)).get(TranscriptStore.ORIGINAL).count());
    }

    @Test
    void trimKeepsTheNewestAndDeleteTakesEverything() {
        String id = newId();
        await(store().insert(room(id, null)));
        for (long seq = 1; seq <= 10; seq++) {
            await(store().append(id, TranscriptStore.ORIGINAL, fin(seq, "en", "t" + seq)));
            await(store().append(id, "pt", fin(seq, "pt", "t" + seq)));
        }
        assertEquals(6, await(store().trim(id, TranscriptStore.ORIGINAL, 4)));
        assertEquals(List.of(7L, 8L, 9L, 10L), await(store().page(id, TranscriptStore.ORIGINAL, 0, 100)).stream()
                .map(Caption::seq).toList());
        assertEquals(10, await(store().page(id, "pt", 0, 100)).size(), "other streams are left alone");
        await(store().deleteTranscript(id));
        assertTrue(await(store().streams(id)).isEmpty());
        assertTrue(await(store().find(id)).isPresent(), "the room itself stays");
    }

    @Test
    void purgeDeletesWhatRetentionSaysAndTombstones() {
        String kept = newId();      // retention: until it closes
        String shortLived = newId(); // retention: one hour
        String tomb = newId();       // closed long ago
        await(store().insert(room(kept, null)));
        await(store().insert(room(shortLived, Duration.ofHours(1))));
        await(store().insert(room(tomb, null)));
        for (String id : List.of(kept, shortLived, tomb)) {
            await(store().append(id, TranscriptStore.ORIGINAL, fin(1, "en", "hello")));
        }
        Instant now = Instant.now();
        await(store().close(tomb, now.minus(Duration.ofDays(40))));
        await(store().purge(now, now.minus(Duration.ofDays(30))));
        assertEquals(1, await(store().page(shortLived, TranscriptStore.ORIGINAL, 0, 10)).size(), "not an hour old yet");
        assertTrue(await(store().find(tomb)).isEmpty(), "a tombstone older than the cutoff goes");
        assertTrue(await(store().page(tomb, TranscriptStore.ORIGINAL, 0, 10)).isEmpty(), "with its finals");

        await(store().purge(now.plus(Duration.ofHours(2)), now.minus(Duration.ofDays(30))));
        assertTrue(await(store().page(shortLived, TranscriptStore.ORIGINAL, 0, 10)).isEmpty(), "older than its retention");
        assertEquals(1, await(store().page(kept, TranscriptStore.ORIGINAL, 0, 10)).size(), "no retention: kept while open");
        assertNull(await(store().find(kept)).orElseThrow().closedAt());
    }

    @Test
    void concurrentWritersLoseNothing() {
        String id = newId();
        await(store().insert(room(id, null)));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (String stream : List.of(TranscriptStore.ORIGINAL, "es", "pt", "fr")) {
            for (long seq = 1; seq <= 50; seq++) {
                writes.add(store().append(id, stream, fin(seq, stream.equals(TranscriptStore.ORIGINAL) ? "en" : stream, "w")));
            }
        }
        await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));
        Map<String, TranscriptStore.StreamState> streams = await(store().streams(id));
        assertEquals(4, streams.size());
        streams.values().forEach(s -> assertEquals(new TranscriptStore.StreamState(50, 50, 25), s));
    }
}
