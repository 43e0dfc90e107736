package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BusyMeterTest {

    private static final long S = 1_000_000_000L;

    @Test
    void theBusyFractionOfTheLastWindow() {
        BusyMeter m = new BusyMeter(4 * S);
        m.busy(0, S);
        m.busy(2 * S, 3 * S);
        assertEquals(0.5, m.utilisation(4 * S), 1e-9);
        // Half of the first interval has left the window.
        assertEquals(0.375, m.utilisation(4 * S + S / 2), 1e-9);
        assertEquals(0.0, m.utilisation(10 * S), 1e-9);
    }

    @Test
    void anIntervalStillRunningPastNowCountsUpToNow() {
        BusyMeter m = new BusyMeter(2 * S);
        m.busy(S, 3 * S);
        assertEquals(0.5, m.utilisation(2 * S), 1e-9);
        assertEquals(1.0, m.utilisation(3 * S), 1e-9);
    }

    @Test
    void lanesBusyAtOnceCountOnce() {
        BusyMeter m = new BusyMeter(4 * S);
        m.busy(S, 2 * S);           // one lane
        m.busy(S / 2, 3 * S);       // another, longer, reported later: the model was busy 0.5 s to 3 s
        m.busy(3 * S + S / 2, 4 * S);
        assertEquals(0.75, m.utilisation(4 * S), 1e-9);
    }

    @Test
    void theWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BusyMeter(0));
    }
}
