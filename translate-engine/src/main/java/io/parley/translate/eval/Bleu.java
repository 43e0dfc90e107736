package io.parley.translate.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU (Papineni et al., 2002) as sacreBLEU computes it by default, so that a number printed
 * here can be set beside one from {@code sacrebleu} and mean the same thing: 13a tokens, case
 * kept, n-grams up to 4, one reference per segment, the brevity penalty, and the
 * {@code exp} smoothing of mteval-v13a for orders without a match.
 *
 * <p>Corpus BLEU is not the mean of sentence BLEUs: match and n-gram counts are summed over
 * all segments first, and the precisions, brevity penalty and score come from the sums.
 */
public final class Bleu {

    /** The largest n-gram order counted. */
    public static final int MAX_ORDER = 4;

    /** What sacreBLEU takes as log(0): a score with a zero precision is then 0, not an error. */
    private static final double LOG_ZERO = -9999999999.0;

    private Bleu() {
    }

    /**
     * Corpus BLEU of aligned hypotheses and references (one reference per hypothesis).
     * An empty corpus scores 0 (sacreBLEU rejects it).
     */
    public static BleuScore corpus(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but "
                    + references.size() + " references");
        }
        long[] sums = new long[2 + 2 * MAX_ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] segment = segmentStatistics(hypotheses.get(i), references.get(i));
            for (int k = 0; k < sums.length; k++) {
                sums[k] += segment[k];
            }
        }
        return fromStatistics(sums, false);
    }

    /**
     * BLEU of one sentence, as {@code sacrebleu.sentence_bleu}: with effective order, i.e. the
     * geometric mean runs only over the orders the hypothesis is long enough to have, so that a
     * three-word reply is not 0 merely for lacking 4-grams.
     */
    public static BleuScore sentence(String hypothesis, String reference) {
        return fromStatistics(segmentStatistics(hypothesis, reference), true);
    }

    /**
     * The sufficient statistics of one segment, which add up over a corpus:
     * {@code [hypLength, refLength, matches_1..4, totals_1..4]}.
     */
    public static long[] segmentStatistics(String hypothesis, String reference) {
        // sacreBLEU strips trailing whitespace before tokenizing; this matters only for a
        // line that ends in "-\n", which would otherwise be joined to nothing.
        List<String> hyp = Tokenizer13a.tokens(PythonWhitespace.stripTrailing(hypothesis));
        List<String> ref = Tokenizer13a.tokens(PythonWhitespace.stripTrailing(reference));
        long[] stats = new long[2 + 2 * MAX_ORDER];
        stats[0] = hyp.size();
        stats[1] = ref.size();
        for (int n = 1; n <= MAX_ORDER; n++) {
            Map<String, Integer> refCounts = ngramCounts(ref, n);
            long matches = 0;
            long total = 0;
            for (Map.Entry<String, Integer> e : ngramCounts(hyp, n).entrySet()) {
                total += e.getValue();
                // Clipping: a hypothesis n-gram is credited at most as often as the reference has it.
                matches += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
            }
            stats[1 + n] = matches;
            stats[1 + MAX_ORDER + n] = total;
        }
        return stats;
    }

    /**
     * BLEU from summed statistics ({@link #segmentStatistics} layout), following sacreBLEU's
     * {@code compute_bleu} with {@code smooth_method='exp'} step for step so that the doubles
     * come out the same.
     */
    public static BleuScore fromStatistics(long[] stats, boolean effectiveOrder) {
        if (stats.length != 2 + 2 * MAX_ORDER) {
            throw new IllegalArgumentException("expected " + (2 + 2 * MAX_ORDER) + " statistics, got " + stats.length);
        }
        long hypLength = stats[0];
        long refLength = stats[1];
        List<Long> matches = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            matches.add(stats[1 + n]);
            totals.add(stats[1 + MAX_ORDER + n]);
        }

        // Brevity penalty: precision alone would reward saying little. Longer output is not
        // penalised here; its extra n-grams already lower the precisions.
        double bp = 1.0;
        if (hypLength < refLength) {
            bp = hypLength > 0 ? Math.exp(1 - (double) refLength / hypLength) : 0.0;
        }

        double[] precisions = new double[MAX_ORDER];
        if (matches.stream().allMatch(m -> m == 0)) {
            // Nothing matched at all: 0, and the precisions are reported as 0 too (not smoothed).
            return score(0.0, precisions, bp, hypLength, refLength, matches, totals);
        }

        // exp smoothing (mteval's, method 3 of Chen & Cherry 2014): the k-th order with no
        // match counts as 1 / 2^k matches instead of 0, so one missing order does not zero
        // the geometric mean.
        double smoothing = 1.0;
        int order = MAX_ORDER;
        for (int n = 1; n <= MAX_ORDER; n++) {
            long total = totals.get(n - 1);
            long matched = matches.get(n - 1);
            if (total == 0) {
                // Too short to have n-grams of this order: the precision stays 0 (and, without
                // effective order, takes the score with it).
                break;
            }
            if (effectiveOrder) {
                order = n;
            }
            if (matched == 0) {
                smoothing *= 2;
                precisions[n - 1] = 100.0 / (smoothing * total);
            } else {
                precisions[n - 1] = 100.0 * matched / total;
            }
        }

        double logSum = 0.0;
        for (int i = 0; i < order; i++) {
            logSum += precisions[i] == 0.0 ? LOG_ZERO : Math.log(precisions[i]);
        }
        return score(bp * Math.exp(logSum / order), precisions, bp, hypLength, refLength, matches, totals);
    }

    private static BleuScore score(double score, double[] precisions, double bp, long hypLength, long refLength,
                                   List<Long> matches, List<Long> totals) {
        List<Double> p = new ArrayList<>();
        for (double x : precisions) {
            p.add(x);
        }
        return new BleuScore(score, p, bp, hypLength, refLength, matches, totals);
    }

    /** Counts of the n-grams of one order. Tokens never contain a space, so joining is a safe key. */
    private static Map<String, Integer> ngramCounts(List<String> tokens, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }
}
