package io.parley.speech.eval;

import java.util.List;

/**
 * Word error rate: the fewest substitutions, deletions and insertions that turn the
 * hypothesis into the reference, over the number of reference words. Both texts are
 * normalised by {@link TranscriptNormalizer} first.
 *
 * @param substitutions  reference words replaced by another word
 * @param deletions      reference words missing from the hypothesis
 * @param insertions     hypothesis words with no reference word
 * @param referenceWords words in the reference
 */
public record WordErrorRate(int substitutions, int deletions, int insertions, int referenceWords) {

    public static WordErrorRate of(String reference, String hypothesis) {
        return of(TranscriptNormalizer.words(reference), TranscriptNormalizer.words(hypothesis));
    }

    public static WordErrorRate of(List<String> ref, List<String> hyp) {
        int n = ref.size();
        int m = hyp.size();
        // cost[j], plus the kind of the last edit, kept row by row.
        int[] cost = new int[m + 1];
        int[] subs = new int[m + 1];
        int[] dels = new int[m + 1];
        int[] ins = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            cost[j] = j;
            ins[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            int diagCost = cost[0], diagS = subs[0], diagD = dels[0], diagI = ins[0];
            cost[0] = i;
            dels[0] = i;
            subs[0] = 0;
            ins[0] = 0;
            for (int j = 1; j <= m; j++) {
                int upCost = cost[j], upS = subs[j], upD = dels[j], upI = ins[j];
                boolean same = ref.get(i - 1).equals(hyp.get(j - 1));
                int substitute = diagCost + (same ? 0 : 1);
                int delete = upCost + 1;
                int insert = cost[j - 1] + 1;
                if (substitute <= delete && substitute <= insert) {
                    cost[j] = substitute;
                    subs[j] = diagS + (same ? 0 : 1);
                    dels[j] = diagD;
                    ins[j] = diagI;
                } else if (delete <= insert) {
                    cost[j] = delete;
                    subs[j] = upS;
                    dels[j] = upD + 1;
                    ins[j] = upI;
                } else {
                    cost[j] = insert;
                    subs[j] = subs[j - 1];
                    dels[j] = dels[j - 1];
                    ins[j] = ins[j - 1] + 1;
                }
                diagCost = upCost;
                diagS = upS;
                diagD = upD;
                diagI = upI;
            }
        }
        return new WordErrorRate(subs[m], dels[m], ins[m], n);
    }

    public int errors() {
        return substitutions + deletions + insertions;
    }

    /** Errors over reference words; 0 for an empty reference and hypothesis. */
    public double rate() {
        return referenceWords == 0 ? (errors() == 0 ? 0 : 1) : errors() / (double) referenceWords;
    }

    /** Pools the counts of several utterances, as a corpus-level WER does. */
    public WordErrorRate plus(WordErrorRate other) {
        return new WordErrorRate(substitutions + other.substitutions, deletions + other.deletions,
                insertions + other.insertions, referenceWords + other.referenceWords);
    }

    public static WordErrorRate zero() {
        return new WordErrorRate(0, 0, 0, 0);
    }
}
