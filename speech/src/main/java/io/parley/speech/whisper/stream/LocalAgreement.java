package io.parley.speech.whisper.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * Which words of a live hypothesis may be shown as settled: those on which two successive
 * decodings of the growing window agree (local agreement of order two, as in Macháček et al.,
 * "Turning Whisper into Real-Time Transcription System", 2023). Settled words are never taken
 * back; the rest is the unconfirmed tail, shown as partial and replaced by the next decoding.
 */
final class LocalAgreement {

    private final List<TimedWord> committed = new ArrayList<>();
    private List<TimedWord> pending = List.of();
    private double committedEnd = 0;

    /**
     * Takes a new hypothesis of the window and returns the words it newly settles. Words that
     * start before the end of what is settled are old territory and ignored; a repetition of the
     * last settled words at the start of the new part is dropped.
     */
    List<TimedWord> insert(List<TimedWord> hypothesis) {
        List<TimedWord> fresh = new ArrayList<>();
        for (TimedWord w : hypothesis) {
            if (w.start() >= committedEnd - 0.1) {
                fresh.add(w);
            }
        }
        dropOverlap(fresh);
        List<TimedWord> settled = new ArrayList<>();
        int i = 0;
        while (i < fresh.size() && i < pending.size() && fresh.get(i).key().equals(pending.get(i).key())) {
            settled.add(fresh.get(i));
            i++;
        }
        committed.addAll(settled);
        if (!settled.isEmpty()) {
            committedEnd = settled.getLast().end();
        }
        pending = List.copyOf(fresh.subList(i, fresh.size()));
        return settled;
    }

    /** The new part may begin by repeating the last settled words (up to five): drop them. */
    private void dropOverlap(List<TimedWord> fresh) {
        for (int n = Math.min(5, Math.min(committed.size(), fresh.size())); n >= 1; n--) {
            boolean same = true;
            for (int k = 0; k < n && same; k++) {
                same = committed.get(committed.size() - n + k).key().equals(fresh.get(k).key());
            }
            if (same) {
                fresh.subList(0, n).clear();
                return;
            }
        }
    }

    List<TimedWord> committed() {
        return committed;
    }

    List<TimedWord> pending() {
        return pending;
    }

    /** Starts a new utterance: nothing settled or pending, but time goes on. */
    void reset(double time) {
        committed.clear();
        pending = List.of();
        committedEnd = time;
    }
}
