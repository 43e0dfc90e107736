package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionTest {

    private final Admission admission = new Admission();

    /** Streams let in one after another while none has finished its window: how many fit. */
    private static int admittedTogether(Admission a) {
        int open = 0;
        while (a.refusal(0, open, 0.0, 0) == null) {
            open++;
        }
        return open;
    }

    @Test
    void theFirstStreamIsAlwaysTaken() {
        assertNull(admission.refusal(0, 0, 1.0, 99));
    }

    @Test
    void aStreamIsTakenWhileTheFinalsWithItsShareFitTheModel() {
        // Three streams whose finals take 45% of the model: with a fourth, 60%.
        assertNull(admission.refusal(3, 0, 0.45, 0.2));
        // Three taking 70%: with a fourth, 93%: refused, and the sentence says why.
        Admission busier = new Admission();
        String why = busier.refusal(3, 0, 0.70, 0.2);
        assertNotNull(why);
        assertTrue(why.contains("capacity") && why.contains("93%"), why);
    }

    @Test
    void streamsArrivingTogetherAreWeighedByWhatStreamsCostBefore() {
        // Four streams took 52% of the model on finals: 13% each.
        assertNull(admission.refusal(4, 0, 0.52, 0.1));
        assertEquals(0.13, admission.perStream(), 1e-9);
        // Later, streams arrive together while the model is idle (no final yet): they are let in
        // while their learned share fits, not all of them.
        assertEquals(6, admittedTogether(admission), "0.13 x 7 = 0.91 is over 0.85: the seventh is refused");
    }

    @Test
    void beforeAnyStreamIsSeenAStreamIsWeighedByTheMeasuredEncoding() {
        // Nothing measured, nothing learned: nothing to go by, and every stream up to the
        // recognizer's own limit is let in (what the model shows later refuses the rest).
        assertEquals(0, admission.share());
        // A final's encoding takes 0.4 s here: a final pass every five seconds of speech is 12%.
        admission.encodingMeasured(0.4);
        assertEquals(0.12, admission.share(), 1e-9);
        assertEquals(7, admittedTogether(admission), "0.12 x 8 = 0.96 is over 0.85: the eighth is refused");
        // On a machine twice as slow, half as many.
        Admission slower = new Admission();
        slower.encodingMeasured(0.8);
        assertEquals(3, admittedTogether(slower), "0.24 x 4 = 0.96: the fourth is refused");
    }

    @Test
    void youngStreamsDoNotTeachTheirShare() {
        // One stream has been open for the whole window, six have just come: the 5% of the
        // model their few finals took says little of what they will cost.
        admission.encodingMeasured(0.4);
        assertNotNull(admission.refusal(1, 6, 0.05, 0), "seven streams at the estimated 12%, 96% with an eighth");
        assertEquals(0, admission.perStream());
        // Once all have been open for the window, what they took is learned.
        assertNull(admission.refusal(4, 0, 0.40, 0));
        assertEquals(0.10, admission.perStream(), 1e-9);
    }

    @Test
    void aStreamAlreadyBehindItsAudioMeansTheModelIsFull() {
        assertNotNull(admission.refusal(2, 0, 0.2, 2.5));
        assertNull(admission.refusal(2, 0, 0.2, 1.0));
    }
}
