package io.parley.speech.whisper.stream;

import java.util.ArrayList;
import java.util.List;

/** The part of a new hypothesis that lies after what is settled: what an agreement policy may settle next. */
final class FreshWords {

    /** How far a word may start before the end of the settled words and still count as new (alignment jitter). */
    private static final double JITTER_SECONDS = 0.1;
    /** Repetitions of the last settled words looked for at the start of the new part. */
    private static final int MAX_OVERLAP = 5;

    private FreshWords() {
    }

    /**
     * The words of {@code hypothesis} that start after {@code settledEnd}, less a repetition of
     * the last settled words at their start (Whisper often repeats a word across the boundary).
     */
    static List<TimedWord> after(List<TimedWord> settled, double settledEnd, List<TimedWord> hypothesis) {
        List<TimedWord> fresh = new ArrayList<>();
        for (TimedWord w : hypothesis) {
            if (w.start() >= settledEnd - JITTER_SECONDS) {
                fresh.add(w);
            }
        }
        for (int n = Math.min(MAX_OVERLAP, Math.min(settled.size(), fresh.size())); n >= 1; n--) {
            boolean same = true;
            for (int k = 0; k < n && same; k++) {
                same = settled.get(settled.size() - n + k).key().equals(fresh.get(k).key());
            }
            if (same) {
                fresh.subList(0, n).clear();
                break;
            }
        }
        return fresh;
    }
}
