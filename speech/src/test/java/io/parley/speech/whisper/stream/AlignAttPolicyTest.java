package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.parley.speech.whisper.stream.Hypotheses.join;
import static io.parley.speech.whisper.stream.Hypotheses.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlignAttPolicyTest {

    @Test
    void wordsTheAttentionHasLeftSettleInOnePass() {
        AlignAttPolicy p = new AlignAttPolicy(0.5);
        // Words end at 0.4, 0.9, 1.4, 1.9; the audio ends at 2.0: the frontier is 1.5.
        assertEquals("he was not", join(p.insert(words(0, "he was not an"), 2.0)));
        assertEquals("an", join(p.pending()));
    }

    @Test
    void theLastWordOfAPassNeverSettlesEvenFarFromTheEnd() {
        AlignAttPolicy p = new AlignAttPolicy(0.5);
        // The decoder stopped early (a long pause after "in"): "in" may still grow into "inside".
        assertEquals("come", join(p.insert(words(0, "come in"), 5.0)));
        assertEquals("in", join(p.pending()));
    }

    @Test
    void settlingStopsAtTheFirstWordNearTheEnd() {
        AlignAttPolicy p = new AlignAttPolicy(0.5);
        List<TimedWord> h = new ArrayList<>(words(0, "one two"));
        h.add(new TimedWord(" three", 1.0, 1.8, 0.9)); // ends inside the last half second
        h.add(new TimedWord(" four", 1.1, 1.2, 0.9)); // an alignment glitch after it: not settled either
        h.add(new TimedWord(" five", 1.85, 1.95, 0.9));
        assertEquals("one two", join(p.insert(h, 2.0)));
        assertEquals("three four five", join(p.pending()));
    }

    @Test
    void settledWordsStayAndARepeatIsNotSettledTwice() {
        AlignAttPolicy p = new AlignAttPolicy(0.5);
        p.insert(words(0, "please turn on the"), 2.0);
        assertEquals("please turn on", join(p.committed()));
        // The next pass changes its mind about the start and re-hears "on" after the settled end.
        List<TimedWord> next = new ArrayList<>(words(0, "these turn"));
        next.addAll(words(1.5, "on the captions now"));
        assertEquals("the captions", join(p.insert(next, 4.0)));
        assertEquals("please turn on the captions", join(p.committed()));
        assertEquals("now", join(p.pending()));
    }

    @Test
    void resetForgetsTheUtteranceAndKeepsTime() {
        AlignAttPolicy p = new AlignAttPolicy(0.5);
        p.insert(words(0, "one two three"), 3.0);
        p.reset(5.0);
        assertEquals(List.of(), p.committed());
        assertEquals(List.of(), p.insert(words(0, "old words here"), 9.0));
        assertEquals(List.of(), p.pending());
    }

    @Test
    void aFrontierMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new AlignAttPolicy(0));
    }
}
