package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

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
        String why = admission.refusal(3, 0.70, 0.2);
        assertNotNull(why);
        assertTrue(why.contains("capacity"), why);
    }

    @Test
    void aStreamAlreadyBehindItsAudioMeansTheModelIsFull() {
        assertNotNull(admission.refusal(2, 0.2, 2.5));
        assertNull(admission.refusal(2, 0.2, 1.0));
    }
}
