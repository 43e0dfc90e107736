package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.parley.speech.whisper.stream.Hypotheses.join;
import static io.parley.speech.whisper.stream.Hypotheses.words;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalAgreementTest {

    /** Local agreement takes no account of where the audio ends. */
    private static List<TimedWord> insert(LocalAgreement a, List<TimedWord> hypothesis) {
        return a.insert(hypothesis, 30.0);
    }

    @Test
    void wordsSettleWhenTwoHypothesesAgree() {
        LocalAgreement a = new LocalAgreement();
        assertEquals(List.of(), insert(a, words(0, "he was not")));
        assertEquals("he was not", join(a.pending()));
        assertEquals("he was", join(insert(a, words(0, "he was an ill"))));
        assertEquals("an ill", join(a.pending()));
        assertEquals("an ill", join(insert(a, words(0, "he was an ill disposed"))));
        assertEquals("he was an ill", join(a.committed()));
        assertEquals("disposed", join(a.pending()));
    }

    @Test
    void caseAndPunctuationDoNotBreakAgreement() {
        LocalAgreement a = new LocalAgreement();
        insert(a, words(0, "Good morning everyone"));
        assertEquals("good morning, everyone.", join(insert(a, words(0, "good morning, everyone."))));
    }

    @Test
    void settledWordsAreNeverTakenBack() {
        LocalAgreement a = new LocalAgreement();
        insert(a, words(0, "the train to"));
        insert(a, words(0, "the train to Barcelona"));
        // The next hypothesis changes its mind about the start: the settled words stay, and
        // only its words after them are compared.
        insert(a, words(0, "a train two Barcelona leaves"));
        assertEquals("the train to Barcelona", join(a.committed()));
        assertEquals("leaves", join(a.pending()));
    }

    @Test
    void aRepeatOfTheLastSettledWordsIsNotSettledTwice() {
        LocalAgreement a = new LocalAgreement();
        insert(a, words(0, "please turn on"));
        insert(a, words(0, "please turn on the"));
        // A shorter window re-hears "turn on" just after the settled end.
        List<TimedWord> next = words(1.5, "turn on the captions");
        assertEquals("the", join(insert(a, next)));
        assertEquals("please turn on the", join(a.committed()));
        assertEquals("captions", join(a.pending()));
    }

    @Test
    void resetStartsAnUtteranceAtATime() {
        LocalAgreement a = new LocalAgreement();
        insert(a, words(0, "one two"));
        insert(a, words(0, "one two"));
        a.reset(5.0);
        assertEquals(List.of(), a.committed());
        assertEquals(List.of(), a.pending());
        insert(a, words(0, "old words")); // before the reset's time: ignored
        assertEquals(List.of(), a.pending());
    }
}
