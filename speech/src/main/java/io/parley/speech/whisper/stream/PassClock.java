package io.parley.speech.whisper.stream;

/**
 * Times the phases of one pass as it runs: the wall time (waiting for the shared model included)
 * goes to the phase the pass is in, from {@link #enter} to the next or to {@link #stop}.
 */
final class PassClock {

    private final double[] seconds = new double[PassStats.Phase.values().length];
    private PassStats.Phase current;
    private long since = System.nanoTime();

    PassClock(PassStats.Phase first) {
        current = first;
    }

    /** The pass moves on to {@code next}. */
    void enter(PassStats.Phase next) {
        book();
        current = next;
    }

    /** The pass ended (or was given up) in the phase it was in: seconds per phase, by ordinal. */
    double[] stop() {
        book();
        return seconds.clone();
    }

    private void book() {
        long now = System.nanoTime();
        seconds[current.ordinal()] += (now - since) / 1e9;
        since = now;
    }
}
