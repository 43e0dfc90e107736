package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassStatsTest {

    private static double[] phases(double features, double encode, double decode, double align, double english) {
        return new double[]{features, encode, decode, align, english};
    }

    @Test
    void passesAreCountedAndTimedByKindAndPhase() {
        PassStats stats = new PassStats();
        stats.add(PassStats.Kind.FINAL, phases(0.05, 0.5, 0.2, 0.05, 0)); // 0.8 s in all
        stats.add(PassStats.Kind.FINAL, phases(0.06, 0.5, 0.1, 0.04, 0)); // 0.7 s
        stats.add(PassStats.Kind.PARTIAL, phases(0.03, 0.1, 0.05, 0.02, 0)); // 0.2 s
        assertEquals(2, stats.count(PassStats.Kind.FINAL));
        assertEquals(1.5, stats.seconds(PassStats.Kind.FINAL), 1e-9);
        assertEquals(1.0, stats.seconds(PassStats.Kind.FINAL, PassStats.Phase.ENCODE), 1e-9);
        assertEquals(0.3, stats.seconds(PassStats.Kind.FINAL, PassStats.Phase.DECODE), 1e-9);
        assertEquals(0.1, stats.seconds(PassStats.Kind.PARTIAL, PassStats.Phase.ENCODE), 1e-9);
    }

    @Test
    void aWastedSpeculativeFinalTakesItsPhasesAlong() {
        PassStats stats = new PassStats();
        double[] wasted = phases(0.05, 0.5, 0.2, 0.05, 0); // 0.8 s in all
        stats.add(PassStats.Kind.FINAL, wasted);
        stats.add(PassStats.Kind.FINAL, phases(0.16, 0.4, 0.1, 0.04, 0)); // 0.7 s in all
        stats.reclassifyAsWasted(wasted);
        assertEquals(1, stats.count(PassStats.Kind.FINAL));
        assertEquals(0.7, stats.seconds(PassStats.Kind.FINAL), 1e-9);
        assertEquals(0.4, stats.seconds(PassStats.Kind.FINAL, PassStats.Phase.ENCODE), 1e-9);
        assertEquals(1, stats.count(PassStats.Kind.SPECULATIVE_WASTED));
        assertEquals(0.5, stats.seconds(PassStats.Kind.SPECULATIVE_WASTED, PassStats.Phase.ENCODE), 1e-9);
    }

    @Test
    void aClockBooksTheTimeToThePhaseThePassIsIn() throws InterruptedException {
        PassClock clock = new PassClock(PassStats.Phase.FEATURES);
        clock.enter(PassStats.Phase.ENCODE);
        Thread.sleep(20);
        clock.enter(PassStats.Phase.DECODE);
        double[] s = clock.stop();
        // Only that the sleep went to the encoder, whatever the machine's speed: no wall-clock bound.
        assertTrue(s[PassStats.Phase.ENCODE.ordinal()] >= 0.02, java.util.Arrays.toString(s));
        assertEquals(0, s[PassStats.Phase.ALIGN.ordinal()]);
        assertEquals(0, s[PassStats.Phase.ENGLISH.ordinal()]);
    }
}
