package io.parley.translate.marian;

import io.parley.translate.eval.Bleu;
import io.parley.translate.eval.BleuScore;
import io.parley.translate.marian.engine.MarianEngine;
import io.parley.translate.eval.Json;
import io.parley.translate.eval.MtTestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parley's Marian engine against the package's own native engine on the same weights: the
 * reference translations of the dev sentences (tools/fixtures/marian_reference.py writes them)
 * must come out the same, greedy, for at least 95% of the sentences, and the BLEU against the
 * human references must be within half a point of the native engine's.
 */
class MarianEngineTest {

    record Reference(List<String> sources, List<String> translations) {
    }

    static Reference reference(String pair) throws IOException {
        try (InputStream in = MarianEngineTest.class.getResourceAsStream("/marian/reference-" + pair + ".tsv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            List<String> src = new ArrayList<>();
            List<String> out = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split("\t", -1);
                src.add(f[0]);
                out.add(f[1]);
            }
            return new Reference(src, out);
        }
    }

    @SuppressWarnings("unchecked")
    static double referenceBleu(String pair) throws IOException {
        try (InputStream in = MarianEngineTest.class.getResourceAsStream("/marian/reference.json")) {
            Map<String, Object> json = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Map<String, Object> pairs = (Map<String, Object>) json.get("pairs");
            return ((Number) ((Map<String, Object>) pairs.get(pair)).get("bleu")).doubleValue();
        }
    }

    static List<String> humanReferences(String folder) {
        return MtTestData.lines(folder + "/ref.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"enpt", "pten"})
    void greedyOutputEqualsTheNativeEngineAndBleuMatches(String pair) throws Exception {
        MarianEngine engine = MarianTestModels.engine("mt-" + pair);
        Reference ref = reference(pair);
        // Batched as the translator batches, 16 sentences at a time.
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < ref.sources().size(); i += 16) {
            ours.addAll(engine.translate(ref.sources().subList(i, Math.min(ref.sources().size(), i + 16)), 1));
        }
        int same = 0;
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            if (ours.get(i).equals(ref.translations().get(i))) {
                same++;
            } else if (differences.size() < 5) {
                differences.add("\n  ours:   " + ours.get(i) + "\n  native: " + ref.translations().get(i));
            }
        }
        double share = same / (double) ours.size();
        String folder = pair.substring(0, 2) + "-" + pair.substring(2);
        BleuScore bleu = Bleu.corpus(ours, humanReferences(folder));
        double nativeBleu = referenceBleu(pair);
        System.out.printf("%s: %d/%d identical to the native engine; %s (native %.2f)%n", pair, same, ours.size(),
                bleu, nativeBleu);
        assertTrue(share >= 0.95, String.format("%.1f%% identical; first differences:%s", 100 * share, differences));
        assertTrue(Math.abs(bleu.score() - nativeBleu) <= 0.5, "BLEU " + bleu.score() + " vs native " + nativeBleu);
    }

    @Test
    void aSentenceTranslatesTheSameAloneAndInABatch() throws Exception {
        MarianEngine engine = MarianTestModels.engine("mt-enpt");
        List<String> sources = reference("enpt").sources().subList(0, 12);
        List<String> batched = engine.translate(sources, 1);
        for (int i = 0; i < sources.size(); i++) {
            assertEquals(engine.translate(List.of(sources.get(i)), 1).getFirst(), batched.get(i));
        }
    }

    @Test
    void beamSearchFindsTranslationsAtLeastAsGoodOnAverage() throws Exception {
        MarianEngine engine = MarianTestModels.engine("mt-enpt");
        Reference ref = reference("enpt");
        List<String> sources = ref.sources().subList(0, 40);
        List<String> human = humanReferences("en-pt").subList(0, 40);
        List<String> greedy = engine.translate(sources, 1);
        List<String> beam = engine.translate(sources, 4);
        double g = Bleu.corpus(greedy, human).score();
        double b = Bleu.corpus(beam, human).score();
        System.out.printf("enpt, 40 sentences: greedy BLEU %.2f, beam 4 BLEU %.2f%n", g, b);
        assertFalse(beam.stream().anyMatch(String::isBlank));
        assertTrue(b >= g - 2.0, "beam 4 " + b + " against greedy " + g);
        assertTrue(!beam.equals(greedy), "a beam of 4 changes some translation among 40");
    }

    @Test
    void blankAndLongInputs() throws Exception {
        MarianEngine engine = MarianTestModels.engine("mt-pten");
        List<String> out = engine.translate(List.of("", "   ", "Bom dia.", "muito ".repeat(400)), 1);
        assertEquals("", out.get(0));
        assertEquals("", out.get(1));
        assertTrue(out.get(2).toLowerCase().contains("good"), out.get(2));
        assertFalse(out.get(3).isBlank());
    }
}
