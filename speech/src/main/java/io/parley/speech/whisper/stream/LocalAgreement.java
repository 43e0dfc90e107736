package io.parley.speech.whisper.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * Settles the words on which two successive decodings of the growing window agree (local
 * agreement of order two, as in Macháček et al., "Turning Whisper into Real-Time Transcription
 * System", 2023). A word is shown as stable one pass after it is first heard, whatever the
 * decoder's attention did.
 */
final class LocalAgreement implements AgreementPolicy {

    private final List<TimedWord> committed = new ArrayList<>();
    private List<TimedWord> pending = List.of();
    private double committedEnd = 0;

    @Override
    public List<TimedWord> insert(List<TimedWord> hypothesis, double audioEnd) {
        List<TimedWord> fresh = FreshWords.after(committed, committedEnd, hypothesis);
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

    @Override
    public List<TimedWord> committed() {
        return committed;
    }

    @Override
    public List<TimedWord> pending() {
        return pending;
    }

    @Override
    public void reset(double time) {
        committed.clear();
        pending = List.of();
        committedEnd = time;
    }
}
