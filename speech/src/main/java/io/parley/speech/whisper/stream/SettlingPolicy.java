package io.parley.speech.whisper.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * What every agreement policy keeps: the words settled in this utterance, the unsettled tail of
 * the last pass, and where the settled words end. A policy says only how many of a pass's new
 * words settle ({@link #settles}); the new words are those after the settled ones
 * ({@link FreshWords}).
 */
abstract class SettlingPolicy implements AgreementPolicy {

    private final List<TimedWord> committed = new ArrayList<>();
    private List<TimedWord> pending = List.of();
    private double committedEnd = 0;

    /**
     * How many of {@code fresh} (the pass's words after the settled ones), from the first, settle now.
     *
     * @param pending  the unsettled words of the previous pass
     * @param audioEnd stream time where the pass's audio ended
     */
    abstract int settles(List<TimedWord> fresh, List<TimedWord> pending, double audioEnd);

    @Override
    public final List<TimedWord> insert(List<TimedWord> hypothesis, double audioEnd) {
        List<TimedWord> fresh = FreshWords.after(committed, committedEnd, hypothesis);
        int n = settles(fresh, pending, audioEnd);
        List<TimedWord> settled = List.copyOf(fresh.subList(0, n));
        committed.addAll(settled);
        if (!settled.isEmpty()) {
            committedEnd = settled.getLast().end();
        }
        pending = List.copyOf(fresh.subList(n, fresh.size()));
        return settled;
    }

    @Override
    public final List<TimedWord> committed() {
        return committed;
    }

    @Override
    public final List<TimedWord> pending() {
        return pending;
    }

    @Override
    public final void reset(double time) {
        committed.clear();
        pending = List.of();
        committedEnd = time;
    }
}
