package io.parley.translate.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixed rule that turns a reference into a plausible-but-wrong "translation" to score,
 * identical to {@code degrade} in tools/fixtures/sacrebleu_fixture.py (keep the two in step):
 * split the line on single ASCII spaces (empty words kept, as Python's {@code split(" ")});
 * drop the words at 0-based index i with i % 6 == 5; in what remains, swap the words at j and
 * j + 1 for every j with j % 8 == 0 and j + 1 &lt; size; join with single spaces.
 * "a b c d e f g h i j k l" becomes "b a c d e g h i k j".
 *
 * <p>Dropping words lowers the brevity penalty and the recall; swapping breaks bigrams and
 * longer n-grams but not unigrams, so every BLEU precision is exercised with a middling value.
 */
final class DegradedHypothesis {

    private DegradedHypothesis() {
    }

    static String of(String reference) {
        // split(" ", -1) is Python's split(" "): no regex meaning for a space, no empty words dropped.
        List<String> words = Arrays.asList(reference.split(" ", -1));
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (i % 6 != 5) {
                kept.add(words.get(i));
            }
        }
        for (int j = 0; j + 1 < kept.size(); j += 8) {
            String w = kept.get(j);
            kept.set(j, kept.get(j + 1));
            kept.set(j + 1, w);
        }
        return String.join(" ", kept);
    }

    static List<String> of(List<String> references) {
        return references.stream().map(DegradedHypothesis::of).toList();
    }
}
