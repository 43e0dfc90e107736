package io.parley.translate.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF (Popović, 2015) as sacreBLEU computes it by default: character n-grams of orders 1 to
 * 6, no word n-grams (that would be chrF++), beta 2, whitespace removed, case kept.
 *
 * <p>It needs no tokenizer and gives partial credit to a word with the right stem and the wrong
 * ending, which suits morphologically rich target languages better than BLEU. Characters are Unicode code points, as in Python, not UTF-16 units.
 * Like sacreBLEU, the corpus score comes from n-gram counts summed over all segments; the
 * precision and recall averaged over orders are then combined into one F-beta (sacreBLEU's
 * default, which is not the per-order F averaging of the original chrF++.py).
 */
public final class ChrF {

    /** The largest character n-gram order. */
    public static final int CHAR_ORDER = 6;

    /** Recall weighs beta^2 = 4 times as much as precision. */
    public static final int BETA = 2;

    private ChrF() {
    }

    /**
     * Corpus chrF of aligned hypotheses and references (one reference per hypothesis).
     * An empty corpus scores 0 (sacreBLEU rejects it).
     */
    public static ChrFScore corpus(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but "
                    + references.size() + " references");
        }
        long[] sums = new long[3 * CHAR_ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] segment = segmentStatistics(hypotheses.get(i), references.get(i));
            for (int k = 0; k < sums.length; k++) {
                sums[k] += segment[k];
            }
        }
        return fromStatistics(sums);
    }

    /** chrF of one sentence, as {@code sacrebleu.sentence_chrf}: a corpus of one. */
    public static ChrFScore sentence(String hypothesis, String reference) {
        return fromStatistics(segmentStatistics(hypothesis, reference));
    }

    /**
     * The sufficient statistics of one segment, which add up over a corpus: for each order
     * n = 1..6, the triple {@code [hypothesis n-grams, reference n-grams, matches]}.
     */
    public static long[] segmentStatistics(String hypothesis, String reference) {
        int[] hyp = PythonWhitespace.removeAll(hypothesis).codePoints().toArray();
        int[] ref = PythonWhitespace.removeAll(reference).codePoints().toArray();
        long[] stats = new long[3 * CHAR_ORDER];
        for (int n = 1; n <= CHAR_ORDER; n++) {
            Map<String, Integer> refCounts = ngramCounts(ref, n);
            long hypTotal = 0;
            long matches = 0;
            for (Map.Entry<String, Integer> e : ngramCounts(hyp, n).entrySet()) {
                hypTotal += e.getValue();
                matches += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
            }
            int k = 3 * (n - 1);
            // A reference too short for this order contributes nothing to it, the hypothesis's
            // n-grams included: sacreBLEU counts them only where the reference has some, so a
            // short reference does not drag the corpus precision of that order down.
            stats[k] = refCounts.isEmpty() ? 0 : hypTotal;
            stats[k + 1] = Math.max(0, ref.length - n + 1);
            stats[k + 2] = matches;
        }
        return stats;
    }

    /**
     * chrF from summed statistics ({@link #segmentStatistics} layout), as sacreBLEU's default
     * (no epsilon smoothing): precision and recall are averaged over the orders where both the
     * hypotheses and the references have n-grams, then combined as F-beta.
     */
    public static ChrFScore fromStatistics(long[] stats) {
        if (stats.length != 3 * CHAR_ORDER) {
            throw new IllegalArgumentException("expected " + 3 * CHAR_ORDER + " statistics, got " + stats.length);
        }
        List<Long> hypGrams = new ArrayList<>();
        List<Long> refGrams = new ArrayList<>();
        List<Long> matches = new ArrayList<>();
        double precisionSum = 0.0;
        double recallSum = 0.0;
        int orders = 0;
        for (int i = 0; i < CHAR_ORDER; i++) {
            long hyp = stats[3 * i];
            long ref = stats[3 * i + 1];
            long match = stats[3 * i + 2];
            hypGrams.add(hyp);
            refGrams.add(ref);
            matches.add(match);
            // Orders that one side lacks (very short text) are left out rather than counted as
            // 0: the "effective order" that is sacreBLEU's default (eps_smoothing off).
            if (hyp > 0 && ref > 0) {
                precisionSum += (double) match / hyp;
                recallSum += (double) match / ref;
                orders++;
            }
        }
        double precision = orders == 0 ? 0.0 : precisionSum / orders;
        double recall = orders == 0 ? 0.0 : recallSum / orders;
        double score = 0.0;
        if (precision + recall != 0.0) {
            double factor = BETA * BETA;
            // In sacreBLEU's order of operations, so that the doubles agree to the last bit.
            score = (1 + factor) * precision * recall;
            score /= factor * precision + recall;
            score = 100 * score;
        }
        return new ChrFScore(score, BETA, hypGrams, refGrams, matches);
    }

    private static Map<String, Integer> ngramCounts(int[] codePoints, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= codePoints.length; i++) {
            counts.merge(new String(codePoints, i, n), 1, Integer::sum);
        }
        return counts;
    }
}
