package io.parley.speech.whisper.decode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the language of a window is picked from Whisper's language probabilities, when it is not
 * given: among the languages a speaker said to expect (all the model knows if none), and
 * keeping the language the stream was last in unless the window's evidence clearly points
 * elsewhere. A meeting in English and Portuguese then stays in one of those two even when an
 * utterance opens with a foreign name, and a short "ok" does not flip a Spanish stream to
 * English.
 *
 * @param expected  languages to choose among; empty for any the model knows
 * @param current   the language the stream was last in, or null
 * @param stickiness the current language is kept while its probability is at least the best
 *                   one's divided by this (1: no stickiness)
 */
public record LanguageChoice(Set<String> expected, String current, double stickiness) {

    /** Any language, no stickiness: Whisper's own rule. */
    public static final LanguageChoice ANY = new LanguageChoice(Set.of(), null, 1.0);
    /** The current language is kept unless another is at least this many times as likely. */
    public static final double DEFAULT_STICKINESS = 4.0;

    public LanguageChoice {
        expected = Set.copyOf(expected);
        if (stickiness < 1) {
            throw new IllegalArgumentException("stickiness is at least 1, not " + stickiness);
        }
    }

    public static LanguageChoice among(List<String> expected) {
        return new LanguageChoice(Set.copyOf(expected), null, DEFAULT_STICKINESS);
    }

    /** The same choice, staying with {@code language} until the evidence changes. */
    public LanguageChoice from(String language) {
        return new LanguageChoice(expected, language, stickiness);
    }

    /** The language picked for these probabilities. */
    public String choose(LanguageProbabilities heard) {
        String best = null;
        double bestP = -1;
        for (Map.Entry<String, Double> e : heard.probabilities().entrySet()) {
            if ((expected.isEmpty() || expected.contains(e.getKey())) && e.getValue() > bestP) {
                best = e.getKey();
                bestP = e.getValue();
            }
        }
        if (best == null) {
            return heard.best(); // none of the expected languages is known to the model (checked at open)
        }
        if (current != null && !current.equals(best) && (expected.isEmpty() || expected.contains(current))
                && heard.probability(current) * stickiness >= bestP) {
            return current;
        }
        return best;
    }
}
