package io.parley.translate.eval;

import io.parley.translate.eval.SacrebleuFixture.Corpus;
import io.parley.translate.eval.SacrebleuFixture.Sentence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static io.parley.translate.eval.SacrebleuFixture.longs;
import static io.parley.translate.eval.SacrebleuFixture.number;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChrFTest {

    @Test
    void corpusChrFEqualsSacrebleu() {
        List<Corpus> corpora = SacrebleuFixture.corpora();
        List<Executable> checks = new ArrayList<>();
        double[] worst = new double[1];
        for (Corpus c : corpora) {
            ChrFScore chrf = ChrF.corpus(c.hypotheses(), c.references());
            worst[0] = Math.max(worst[0], Math.abs(chrf.score() - number(c.chrf().get("score"))));
            checks.add(() -> {
                // sacreBLEU's summed statistics, [hyp, ref, match] per order, must be ours exactly.
                List<Long> stats = longs(c.chrf().get("statistics"));
                List<Long> ours = new ArrayList<>();
                for (int i = 0; i < ChrF.CHAR_ORDER; i++) {
                    ours.addAll(List.of(chrf.hypGrams().get(i), chrf.refGrams().get(i), chrf.matches().get(i)));
                }
                assertAll(c.name(),
                        () -> assertEquals(stats, ours, c.name() + " statistics"),
                        () -> assertEquals(number(c.chrf().get("score")), chrf.score(), BleuTest.TOLERANCE, c.name() + " score"),
                        () -> assertEquals(c.chrf().get("summary"), chrf.toString(), c.name() + " summary"));
            });
        }
        assertAll(checks);
        System.out.printf("chrF: %d corpora, largest difference from sacreBLEU %.3g%n", corpora.size(), worst[0]);
    }

    @Test
    void sentenceChrFEqualsSacrebleusSentenceChrF() {
        List<Executable> checks = new ArrayList<>();
        double worst = 0;
        for (Sentence s : SacrebleuFixture.sentences()) {
            double score = ChrF.sentence(s.hypothesis(), s.reference()).score();
            worst = Math.max(worst, Math.abs(score - s.chrf()));
            checks.add(() -> assertEquals(s.chrf(), score, BleuTest.TOLERANCE, "sentence " + s.hypothesis()));
        }
        assertAll(checks);
        System.out.printf("sentence chrF: %d segments, largest difference from sacreBLEU %.3g%n", checks.size(), worst);
    }

    @Test
    void charactersAreCodePointsAndSpacesDoNotCount() {
        // One supplementary character is one unigram, not two UTF-16 halves.
        ChrFScore emoji = ChrF.sentence("\uD83D\uDE00", "\uD83D\uDE00");
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 0L), emoji.hypGrams());
        assertEquals(100.0, emoji.score(), 1e-9);
        assertEquals(100.0, ChrF.sentence("a b\u00a0c", "abc").score(), 1e-9);
        assertEquals("chrF2 = 100.00", emoji.toString());
    }

    @Test
    void misalignedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ChrF.corpus(List.of("a"), List.of()));
    }
}
