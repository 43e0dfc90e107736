package io.parley.speech.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WordErrorRateTest {

    @Test
    void countsSubstitutionsDeletionsAndInsertions() {
        WordErrorRate w = WordErrorRate.of(List.of("a", "b", "c", "d"), List.of("a", "x", "c", "d", "e"));
        assertEquals(1, w.substitutions());
        assertEquals(0, w.deletions());
        assertEquals(1, w.insertions());
        assertEquals(0.5, w.rate(), 1e-9);

        WordErrorRate d = WordErrorRate.of(List.of("a", "b", "c"), List.of("c"));
        assertEquals(2, d.deletions());
        assertEquals(2 / 3.0, d.rate(), 1e-9);
    }

    @Test
    void caseAndPunctuationDoNotCount() {
        assertEquals(0, WordErrorRate.of("Good morning, everyone!", "good morning everyone").errors());
        assertEquals(0, WordErrorRate.of("today's meeting", "Today's meeting.").errors());
    }

    @Test
    void numeralsAndSpokenNumbersAreTheSame() {
        assertEquals("the train leaves at 9 from platform 4",
                TranscriptNormalizer.normalize("The train leaves at nine from platform four."));
        // Numbers compare digit by digit, however they were said or written.
        assertEquals("1 0 0 0 1 9 0 2 1 0",
                TranscriptNormalizer.normalize("one zero zero zero one nine oh two one oh"));
        assertEquals("1 0 0 0 1 9 0 2 1 0", TranscriptNormalizer.normalize("10001 90210"));
        assertEquals("1 0 0 0 1", TranscriptNormalizer.normalize("10,001"));
        assertEquals("3 2 5", TranscriptNormalizer.normalize("three hundred and twenty five"));
        assertEquals("2 0 2 5", TranscriptNormalizer.normalize("two thousand twenty-five"));
        assertEquals(1, WordErrorRate.of("one zero zero zero one", "10002").errors());
        assertEquals(0, WordErrorRate.of("mister john dashwood", "Mr. John Dashwood").errors());
    }

    @Test
    void poolsCountsAcrossUtterances() {
        WordErrorRate a = WordErrorRate.of("one two three four", "one two three five");
        WordErrorRate b = WordErrorRate.of("hello there", "hello there");
        WordErrorRate sum = a.plus(b);
        assertEquals(1, sum.errors());
        assertEquals(6, sum.referenceWords()); // "one two three four" compares digit by digit
    }
}
