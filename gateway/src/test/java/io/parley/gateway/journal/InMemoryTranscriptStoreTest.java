package io.parley.gateway.journal;

import io.parley.gateway.room.Caption;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryTranscriptStoreTest {

    private static Caption fin(long seq) {
        return new Caption(seq, seq, true, "en", "t" + seq, 0, 1, 0, "A", List.of(), null, List.of(), false);
    }

    @Test
    void sinceReturnsExactlyTheFinalsAfterTheGivenSeq() {
        InMemoryTranscriptStore store = new InMemoryTranscriptStore();
        for (long seq : new long[]{3, 5, 9, 12}) {
            store.append("r", TranscriptStore.ORIGINAL, fin(seq));
        }
        assertEquals(List.of(9L, 12L), store.since("r", TranscriptStore.ORIGINAL, 5).stream().map(Caption::seq).toList());
        assertEquals(List.of(9L, 12L), store.since("r", TranscriptStore.ORIGINAL, 6).stream().map(Caption::seq).toList());
        assertEquals(4, store.all("r", TranscriptStore.ORIGINAL).size());
        assertEquals(0, store.since("r", TranscriptStore.ORIGINAL, 12).size());
        assertEquals(0, store.since("r", "es", -1).size(), "streams are separate");
    }

    @Test
    void finalsOutOfOrderAreABugAndRefused() {
        InMemoryTranscriptStore store = new InMemoryTranscriptStore();
        store.append("r", "es", fin(4));
        assertThrows(IllegalStateException.class, () -> store.append("r", "es", fin(4)));
    }

    @Test
    void droppingARoomForgetsIt() {
        InMemoryTranscriptStore store = new InMemoryTranscriptStore();
        store.append("r", TranscriptStore.ORIGINAL, fin(1));
        store.drop("r");
        assertEquals(0, store.count("r", TranscriptStore.ORIGINAL));
    }
}
