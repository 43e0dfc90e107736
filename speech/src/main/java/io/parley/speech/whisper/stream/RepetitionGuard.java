package io.parley.speech.whisper.stream;

import java.util.List;
import java.util.function.Function;

/**
 * Whisper's best-known failure on live audio is a loop: the same word or phrase over and over.
 * This finds where a phrase of up to {@value #MAX_PHRASE} words starts repeating for the third
 * time in a row; what comes before, the first two occurrences included, is kept.
 */
final class RepetitionGuard {

    static final int MAX_PHRASE = 8;
    static final int MAX_REPEATS = 2;

    private RepetitionGuard() {
    }

    /** How many leading words of {@code words} to keep (all of them when there is no loop). */
    static <T> int keep(List<T> words, Function<T, String> key) {
        for (int start = 0; start < words.size(); start++) {
            for (int n = 1; n <= MAX_PHRASE; n++) {
                int repeats = 1;
                while (start + (repeats + 1) * n <= words.size() && samePhrase(words, key, start, start + repeats * n, n)) {
                    repeats++;
                }
                if (repeats > MAX_REPEATS) {
                    return start + MAX_REPEATS * n;
                }
            }
        }
        return words.size();
    }

    private static <T> boolean samePhrase(List<T> w, Function<T, String> key, int a, int b, int n) {
        for (int k = 0; k < n; k++) {
            String x = key.apply(w.get(a + k));
            if (x.isEmpty() || !x.equals(key.apply(w.get(b + k)))) {
                return false;
            }
        }
        return true;
    }
}
