package io.parley.translate.eval;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A BLEU result with the numbers sacreBLEU reports beside it.
 *
 * @param score          BLEU, 0 to 100
 * @param precisions     the (smoothed) n-gram precisions, in percent, for n = 1..4
 * @param brevityPenalty exp(1 - ref/hyp) when the hypotheses are shorter, else 1
 * @param hypLength      tokens in the hypotheses (sacreBLEU's {@code sys_len})
 * @param refLength      tokens in the references (sacreBLEU's {@code ref_len})
 * @param matches        clipped n-gram matches, for n = 1..4 (sacreBLEU's {@code counts})
 * @param totals         hypothesis n-grams, for n = 1..4 (sacreBLEU's {@code totals})
 */
public record BleuScore(double score, List<Double> precisions, double brevityPenalty,
                        long hypLength, long refLength, List<Long> matches, List<Long> totals) {

    public BleuScore {
        precisions = List.copyOf(precisions);
        matches = List.copyOf(matches);
        totals = List.copyOf(totals);
    }

    /** hyp_len / ref_len, or 0 without reference tokens (as sacreBLEU, which never divides by 0). */
    public double ratio() {
        return refLength == 0 ? 0.0 : (double) hypLength / refLength;
    }

    /**
     * sacreBLEU's summary without the signature, digit for digit:
     * {@code BLEU = 34.12 65.0/40.1/27.2/18.9 (BP = 0.980 ratio = 0.980 hyp_len = 4321 ref_len = 4410)}.
     */
    @Override
    public String toString() {
        String precision = precisions.stream().map(p -> PythonFormat.fixed(p, 1)).collect(Collectors.joining("/"));
        return "BLEU = " + PythonFormat.fixed(score, 2) + " " + precision
                + " (BP = " + PythonFormat.fixed(brevityPenalty, 3)
                + " ratio = " + PythonFormat.fixed(ratio(), 3)
                + " hyp_len = " + hypLength + " ref_len = " + refLength + ")";
    }
}
