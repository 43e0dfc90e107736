package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionTest {

    private final Admission admission = new Admission();

    @Test
    void theFirstStreamIsAlwaysTaken() {
        assertNull(admission.refusal(0, 1.0, 99));
    }

    @Test
    void aStreamIsTakenWhileTheFinalsWithItsShareFitTheModel() {
        // Three streams whose finals take 60% of the model: with a fourth, 80%.
        assertNull(admission.refusal(3, 0.60, 0.2));
        // Three taking 70%: with a fourth, 93%: refused, and the sentence says why.
        Admission busier = new Admission();
        String why = busier.refusal(3, 0.70, 0.2);
        assertNotNull(why);
        assertTrue(why.contains("capacity"), why);
    }

    @Test
    void streamsArrivingTogetherAreWeighedByWhatStreamsCostBefore() {
        // Four streams took 52% of the model on finals: 13% each.
        assertNull(admission.refusal(4, 0.52, 0.1));
        assertEquals(0.13, admission.perStream(), 1e-9);
        // Later, streams arrive together while the model is idle (no final yet): they are let in
        // while their learned share fits, not all of them.
        int open = 0;
        while (admission.refusal(open, 0.0, 0) == null) {
            open++;
        }
        assertEquals(6, open, "0.13 x 7 = 0.91 is over 0.85: the seventh is refused");
    }

    @Test
    void aStreamAlreadyBehindItsAudioMeansTheModelIsFull() {
        assertNotNull(admission.refusal(2, 0.2, 2.5));
        assertNull(admission.refusal(2, 0.2, 1.0));
    }
}
