package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UtteranceWindowTest {

    private static float[] ramp(int from, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i;
        }
        return a;
    }

    @Test
    void appendGrowsPastItsCapacityAndTrimKeepsStreamPositions() {
        UtteranceWindow w = new UtteranceWindow(4);
        w.append(ramp(0, 10), 0, 10);
        w.append(ramp(10, 6), 2, 3); // samples 12, 13, 14 of the ramp land at stream positions 10..12
        assertEquals(13, w.position());
        assertEquals(13, w.length());
        w.trimTo(5);
        assertEquals(5, w.start());
        assertEquals(8, w.length());
        assertEquals(13, w.position());
        assertArrayEquals(new float[]{5, 6, 7}, w.head(3));
    }

    @Test
    void trimmingBackwardsOrPastTheEndIsSafe() {
        UtteranceWindow w = new UtteranceWindow(16);
        w.append(ramp(0, 8), 0, 8);
        w.trimTo(6);
        w.trimTo(2); // already gone: nothing happens
        assertEquals(6, w.start());
        w.trimTo(100); // past what was delivered: the window is empty, positions still agree
        assertEquals(0, w.length());
        assertEquals(8, w.start());
        assertEquals(8, w.position());
    }

    @Test
    void lengthUpToIsClampedToWhatIsHeld() {
        UtteranceWindow w = new UtteranceWindow(16);
        w.append(ramp(0, 10), 0, 10);
        w.trimTo(4);
        assertEquals(0, w.lengthUpTo(2));
        assertEquals(3, w.lengthUpTo(7));
        assertEquals(6, w.lengthUpTo(50));
        assertThrows(IllegalArgumentException.class, () -> w.head(7));
    }
}
