package io.parley.speech.whisper.stream;

import io.parley.speech.whisper.decode.Segment;

import java.util.List;

/**
 * What one pass of Whisper over a stream's window gave, and its wall time by phase.
 *
 * @param segments the segments decoded, words attached
 * @param words    their words, in order
 * @param language the language the pass decoded in (given or identified)
 * @param silent   the window held no speech (Whisper's no-speech rule or nothing left after the guards)
 * @param english  a final's speech translated into English by the model itself, or null
 * @param phases   wall time of the pass by phase, queueing behind other streams included, indexed
 *                 by {@link PassStats.Phase#ordinal()}
 */
record WindowPass(List<Segment> segments, List<TimedWord> words, String language, boolean silent,
                  String english, double[] phases) {

    WindowPass(List<Segment> segments, List<TimedWord> words, String language, boolean silent, String english) {
        this(segments, words, language, silent, english, new double[PassStats.Phase.values().length]);
    }

    static WindowPass silent(String language) {
        return new WindowPass(List.of(), List.of(), language, true, null);
    }

    WindowPass took(double[] byPhase) {
        return new WindowPass(segments, words, language, silent, english, byPhase);
    }
}
