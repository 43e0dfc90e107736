package io.parley.speech.whisper.stream;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a recognizer's time goes: how many passes over windows it ran of each kind, and their
 * wall time (queueing behind other streams' work included). A speculative final pass that
 * speech resumed after is counted as wasted, though its result is shown as a partial; a partial
 * pass given up while it waited for the model behind finals is counted as shed, with the time it
 * had taken.
 */
public final class PassStats {

    /** The kinds of pass a session runs. */
    public enum Kind {
        PARTIAL, FINAL, SPECULATIVE_WASTED, PARTIAL_SHED;

        /** The kind as metrics and benchmarks name it: {@code speculative_wasted}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder[] counts = new LongAdder[Kind.values().length];
    private final DoubleAdder[] seconds = new DoubleAdder[Kind.values().length];

    PassStats() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
            seconds[i] = new DoubleAdder();
        }
    }

    void add(Kind kind, double wallSeconds) {
        counts[kind.ordinal()].increment();
        seconds[kind.ordinal()].add(wallSeconds);
    }

    /** A pass already counted as a final turned out to be wasted. */
    void reclassifyAsWasted(double wallSeconds) {
        counts[Kind.FINAL.ordinal()].decrement();
        seconds[Kind.FINAL.ordinal()].add(-wallSeconds);
        add(Kind.SPECULATIVE_WASTED, wallSeconds);
    }

    public long count(Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    public double seconds(Kind kind) {
        return seconds[kind.ordinal()].sum();
    }
}
