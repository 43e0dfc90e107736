package io.parley.translate.eval;

import java.util.List;

/**
 * A chrF result and the character n-gram counts it was computed from.
 *
 * @param score    chrF, 0 to 100
 * @param beta     how many times more recall weighs than precision (2: chrF2)
 * @param hypGrams hypothesis character n-grams, for n = 1..6 (0 for an order the reference is
 *                 too short to have, as in sacreBLEU)
 * @param refGrams reference character n-grams, for n = 1..6
 * @param matches  n-grams in common, clipped to the reference's counts, for n = 1..6
 */
public record ChrFScore(double score, int beta, List<Long> hypGrams, List<Long> refGrams, List<Long> matches) {

    public ChrFScore {
        hypGrams = List.copyOf(hypGrams);
        refGrams = List.copyOf(refGrams);
        matches = List.copyOf(matches);
    }

    /** sacreBLEU's summary without the signature: {@code chrF2 = 55.23}. */
    @Override
    public String toString() {
        return "chrF" + beta + " = " + PythonFormat.fixed(score, 2);
    }
}
