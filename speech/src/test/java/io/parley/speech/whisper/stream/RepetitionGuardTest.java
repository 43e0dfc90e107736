package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RepetitionGuardTest {

    private static int keep(String text) {
        List<String> words = Arrays.asList(text.split(" "));
        return RepetitionGuard.keep(words, Function.identity());
    }

    @Test
    void textWithoutALoopIsKeptWhole() {
        assertEquals(11, keep("he was not an ill disposed young man unless to be"));
        assertEquals(4, keep("no no thank you")); // two in a row is speech, not a loop
    }

    @Test
    void aLoopIsCutAfterItsSecondOccurrence() {
        assertEquals(2, keep("so so so so so"));
        assertEquals(2 + 2, keep("thank you thank you thank you thank you"));
        assertEquals(2 + 2 * 4, keep("and then unless to be rather unless to be rather unless to be rather"));
    }

    @Test
    void aLongPhraseLoopIsCaughtToo() {
        // A loop that Whisper produced on a short window of a LibriVox clip: six words.
        String phrase = "and lest to be rather cold-hearted, ";
        String text = "unless to be rather selfish " + phrase.repeat(4).strip();
        assertEquals(5 + 2 * 6, keep(text));
    }

    @Test
    void emptyKeysNeverMakeALoop() {
        assertEquals(6, RepetitionGuard.keep(List.of("", "", "", "", "", ""), Function.identity()));
    }
}
