package io.parley.speech.whisper.stream;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a recognizer's time goes: how many passes over windows it ran of each kind, and their
 * wall time (queueing behind other streams' work included), in all and by phase. A speculative
 * final pass that speech resumed after is counted as wasted, though its result is shown as a
 * partial; a partial pass given up while it waited for the model behind finals is counted as
 * shed, with the time it had taken.
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

    /**
     * The phases of a pass: log-mel features, the encoder, decoding (temperature fallback
     * included), word alignment, and a final's speech translated into English by the model.
     */
    public enum Phase {
        FEATURES, ENCODE, DECODE, ALIGN, ENGLISH;

        /** The phase as metrics and benchmarks name it: {@code encode}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final LongAdder[] counts = new LongAdder[Kind.values().length];
    private final DoubleAdder[][] phaseSeconds = new DoubleAdder[Kind.values().length][Phase.values().length];

    PassStats() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
            for (int p = 0; p < Phase.values().length; p++) {
                phaseSeconds[i][p] = new DoubleAdder();
            }
        }
    }

    /** A pass of {@code kind} took {@code phases} wall seconds by phase (by ordinal); its wall time is their sum. */
    void add(Kind kind, double[] phases) {
        counts[kind.ordinal()].increment();
        addPhases(kind, phases, 1);
    }

    /** A pass already counted as a final turned out to be wasted. */
    void reclassifyAsWasted(double[] phases) {
        counts[Kind.FINAL.ordinal()].decrement();
        addPhases(Kind.FINAL, phases, -1);
        add(Kind.SPECULATIVE_WASTED, phases);
    }

    private void addPhases(Kind kind, double[] phases, int sign) {
        for (int p = 0; p < phases.length; p++) {
            phaseSeconds[kind.ordinal()][p].add(sign * phases[p]);
        }
    }

    public long count(Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    /** Wall seconds of the passes of {@code kind}: their phases' seconds added up. */
    public double seconds(Kind kind) {
        double sum = 0;
        for (DoubleAdder phase : phaseSeconds[kind.ordinal()]) {
            sum += phase.sum();
        }
        return sum;
    }

    /** Wall seconds of the passes of {@code kind} spent in {@code phase}. */
    public double seconds(Kind kind, Phase phase) {
        return phaseSeconds[kind.ordinal()][phase.ordinal()].sum();
    }
}
