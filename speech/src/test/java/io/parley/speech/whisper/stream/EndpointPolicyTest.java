package io.parley.speech.whisper.stream;

import io.parley.speech.whisper.vad.VadConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointPolicyTest {

    private static final int RATE = 16_000;
    /** Steps of 1 s, the first after 300 ms, the VAD's padding 200 ms. */
    private final EndpointPolicy policy = new EndpointPolicy(StreamingConfig.defaults(), RATE);

    private static long ms(long ms) {
        return ms * RATE / 1000;
    }

    private static WindowPass pass(String language) {
        return new WindowPass(List.of(), List.of(), language, false, null).took(new double[PassStats.Phase.values().length]);
    }

    @Test
    void theFirstPartialComesSoonThenTheStepGrowsToStepMs() {
        policy.startUtterance(0, 0);
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(200), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(300), 0, 0, 0)); // firstStepMs
        policy.showedWords();
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(500), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(600), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(1100), 0, 0, 0)); // half of 1.1 s is 550 ms
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(1200), 0, 0, 0));
        // Long into the utterance: every stepMs.
        policy.startUtterance(0, ms(5000));
        policy.showedWords();
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(5900), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(6000), 0, 0, 0));
    }

    @Test
    void untilAPassShowsWordsPartialsComeEveryHalfFirstStep() {
        policy.startUtterance(0, 0);
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(300), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(400), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(450), 0, 0, 0)); // it found nothing: 150 ms on
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(600), 0, 0, 0));
        policy.showedWords();
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(1100), 0, 0, 0)); // half of what was heard
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(1200), 0, 0, 0));
        // The next utterance starts without words again; a busy model stretches the early step too.
        policy.startUtterance(ms(2000), ms(2000));
        assertEquals(ms(150), policy.step(ms(300), 0));
        assertEquals(ms(450), policy.step(ms(300), 1.0));
        // A sound that yields no words for a whole stepMs gets the usual step.
        assertEquals(ms(600), policy.step(ms(1200), 0));
    }

    @Test
    void aBusyModelStretchesTheStepUpToThreeTimes() {
        policy.showedWords();
        assertEquals(ms(300), policy.step(ms(400), 0));
        assertEquals(ms(500), policy.step(ms(1000), 0));
        assertEquals(ms(1000), policy.step(ms(4000), 0.3));
        assertEquals(ms(1000), policy.step(ms(4000), EndpointPolicy.CADENCE_FROM));
        assertEquals(ms(2000), policy.step(ms(4000), 0.7));
        assertEquals(ms(3000), policy.step(ms(4000), 1.0));
        policy.startUtterance(0, ms(4000));
        policy.showedWords();
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(6000), 0, 0, 1.0));
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(7000), 0, 0, 1.0));
    }

    @Test
    void aStreamBehindItsAudioShedsItsPartialsAndCountsThem() {
        policy.startUtterance(0, 0);
        policy.showedWords();
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(300), 0, 0.8, 0));
        assertEquals(1, policy.shed());
        // The shed step counts as a step: the next chance is a step later, not at once.
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(400), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, policy.next(ms(600), 0, 0, 0));
        assertEquals(1, policy.shed());
    }

    @Test
    void aShortPauseStartsOneSpeculativeFinal() {
        policy.startUtterance(0, 0);
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(3050), ms(50), 0, 0.7));
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(3064), ms(64), 0, 0.7));
        assertEquals(EndpointPolicy.Action.SPECULATIVE_FINAL, policy.next(ms(3100), ms(EndpointPolicy.SPECULATE_AFTER_MS), 0, 0.7));
        long speechEnd = policy.speechEnd(ms(3100), ms(100));
        assertEquals(ms(3000), speechEnd);
        WindowPass p = pass("en");
        policy.speculated(speechEnd, p);
        assertTrue(policy.speculating());
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(3300), ms(300), 0, 0)); // one only
        assertSame(p, policy.takeFinal(ms(3000)));
        assertFalse(policy.speculating());
    }

    @Test
    void anIdleModelSpeculatesAfterAShorterPause() {
        policy.startUtterance(0, 0);
        assertEquals(EndpointPolicy.Action.WAIT, policy.next(ms(3050), ms(50), 0, 0.2));
        assertEquals(EndpointPolicy.Action.SPECULATIVE_FINAL,
                policy.next(ms(3064), ms(EndpointPolicy.SPECULATE_IDLE_AFTER_MS), 0, 0.2));
    }

    @Test
    void aSpeculativeFinalOfOtherSpeechIsNotTheFinal() {
        policy.startUtterance(0, 0);
        WindowPass p = pass("en");
        policy.speculated(ms(2900), p);
        assertNull(policy.takeFinal(ms(3500))); // the VAD ended speech elsewhere: decode again
        assertSame(p, policy.drop()); // and the speculative pass is handed back as wasted work
        assertFalse(policy.speculating());
    }

    @Test
    void speechResumingTurnsTheSpeculativeFinalIntoAPartial() {
        policy.startUtterance(0, 0);
        WindowPass p = pass("en");
        policy.speculated(ms(2900), p);
        assertSame(p, policy.drop()); // shown as a partial by the session
        assertNull(policy.drop());
    }

    @Test
    void theFirstStepAndPaddingComeFromTheConfiguration() {
        StreamingConfig c = StreamingConfig.defaults().withStepMs(500)
                .withVad(new VadConfig(0.5, 0.15, 250, 500, 0));
        EndpointPolicy p = new EndpointPolicy(c, RATE);
        p.startUtterance(0, 0);
        assertEquals(EndpointPolicy.Action.WAIT, p.next(ms(200), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, p.next(ms(300), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, p.next(ms(600), 0, 0, 0));
        assertEquals(EndpointPolicy.Action.PARTIAL, p.next(ms(1100), 0, 0, 0)); // at most stepMs (500) apart
        assertEquals(EndpointPolicy.Action.SPECULATIVE_FINAL, p.next(ms(1600), ms(32), 0, 0));
    }
}
