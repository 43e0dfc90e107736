package io.parley.translate.eval;

import io.parley.translate.eval.SacrebleuFixture.Corpus;
import io.parley.translate.eval.SacrebleuFixture.Sentence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.parley.translate.eval.SacrebleuFixture.longs;
import static io.parley.translate.eval.SacrebleuFixture.number;
import static io.parley.translate.eval.SacrebleuFixture.numbers;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BleuTest {

    /** The agreement asked of the Java scores, in BLEU points (the counts must agree exactly). */
    static final double TOLERANCE = 0.01;

    @Test
    void corpusBleuEqualsSacrebleu() {
        List<Corpus> corpora = SacrebleuFixture.corpora();
        assertEquals(14 + 19, corpora.size(), "7 pairs x 2 hypotheses, and the edge cases");
        List<Executable> checks = new ArrayList<>();
        double[] worst = new double[1];
        for (Corpus c : corpora) {
            if (c.hypothesesSha256() != null) {
                assertEquals(c.hypothesesSha256(), SacrebleuFixture.sha256(String.join("\n", c.hypotheses())),
                        c.name() + ": the Java hypotheses differ from the script's (DegradedHypothesis out of step?)");
            }
            BleuScore bleu = Bleu.corpus(c.hypotheses(), c.references());
            worst[0] = Math.max(worst[0], largestDifference(c.bleu(), bleu));
            checks.add(() -> assertSame(c.name(), c.bleu(), bleu));
        }
        assertAll(checks);
        System.out.printf("BLEU: %d corpora, largest difference from sacreBLEU (score, precisions, BP) %.3g%n",
                corpora.size(), worst[0]);
    }

    @Test
    void sentenceBleuEqualsSacrebleusSentenceBleu() {
        List<Executable> checks = new ArrayList<>();
        double worst = 0;
        for (Sentence s : SacrebleuFixture.sentences()) {
            BleuScore bleu = Bleu.sentence(s.hypothesis(), s.reference());
            worst = Math.max(worst, largestDifference(s.bleu(), bleu));
            checks.add(() -> assertSame("sentence " + s.hypothesis(), s.bleu(), bleu));
        }
        assertTrue(checks.size() > 20);
        assertAll(checks);
        System.out.printf("sentence BLEU: %d segments, largest difference from sacreBLEU %.3g%n", checks.size(), worst);
    }

    @Test
    void theSummaryReadsLikeSacrebleus() {
        BleuScore perfect = Bleu.corpus(List.of("The cat sat on the mat."), List.of("The cat sat on the mat."));
        assertEquals("BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)",
                perfect.toString());
        // Python rounds the exact binary value, ties to even: 0.125 is exactly a tie.
        assertEquals("0.12", PythonFormat.fixed(0.125, 2));
        assertEquals("0.38", PythonFormat.fixed(0.375, 2));
        assertEquals("1.00", PythonFormat.fixed(1.005, 2), "1.005 is 1.00499999999999989... as a double");
    }

    @Test
    void aMissingOrderZeroesCorpusBleuButNotSentenceBleu() {
        // Two tokens: no 3- or 4-grams. Corpus BLEU (no effective order) is then 0, as in
        // sacreBLEU; sentence BLEU averages over the orders that exist.
        assertEquals(0.0, Bleu.corpus(List.of("Good morning"), List.of("Good morning")).score());
        assertEquals(100.0, Bleu.sentence("Good morning", "Good morning").score(), 1e-9);
    }

    @Test
    void misalignedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of("a", "b"), List.of("a")));
        assertEquals(0.0, Bleu.corpus(List.of(), List.of()).score());
    }

    /** The largest absolute difference over score, precisions and BP: how close, beyond the tolerance. */
    static double largestDifference(Map<String, Object> expected, BleuScore actual) {
        double d = Math.max(Math.abs(number(expected.get("score")) - actual.score()),
                Math.abs(number(expected.get("bp")) - actual.brevityPenalty()));
        List<Double> p = numbers(expected.get("precisions"));
        for (int i = 0; i < p.size(); i++) {
            d = Math.max(d, Math.abs(p.get(i) - actual.precisions().get(i)));
        }
        return d;
    }

    static void assertSame(String name, Map<String, Object> expected, BleuScore actual) {
        assertAll(name,
                () -> assertEquals(((Number) expected.get("sys_len")).longValue(), actual.hypLength(), name + " hyp_len"),
                () -> assertEquals(((Number) expected.get("ref_len")).longValue(), actual.refLength(), name + " ref_len"),
                () -> assertEquals(longs(expected.get("counts")), actual.matches(), name + " matches"),
                () -> assertEquals(longs(expected.get("totals")), actual.totals(), name + " totals"),
                () -> assertEquals(number(expected.get("score")), actual.score(), TOLERANCE, name + " score"),
                () -> assertEquals(number(expected.get("bp")), actual.brevityPenalty(), TOLERANCE, name + " BP"),
                () -> {
                    List<Double> p = numbers(expected.get("precisions"));
                    for (int i = 0; i < p.size(); i++) {
                        assertEquals(p.get(i), actual.precisions().get(i), TOLERANCE, name + " precision " + (i + 1));
                    }
                },
                () -> assertEquals(expected.get("summary"), actual.toString(), name + " summary"));
    }
}
