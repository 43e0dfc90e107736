package io.parley.speech.whisper.stream;

import java.util.ArrayList;
import java.util.List;

/** Hypotheses as a decoder would time them, for the agreement policies' tests. */
final class Hypotheses {

    private Hypotheses() {
    }

    /** Words half a second apart from {@code start}, each 0.4 s long. */
    static List<TimedWord> words(double start, String text) {
        List<TimedWord> out = new ArrayList<>();
        double t = start;
        for (String w : text.split(" ")) {
            out.add(new TimedWord(" " + w, t, t + 0.4, 0.9));
            t += 0.5;
        }
        return out;
    }

    /** The words as text. */
    static String join(List<TimedWord> words) {
        StringBuilder sb = new StringBuilder();
        words.forEach(w -> sb.append(w.text()));
        return sb.toString().strip();
    }
}
