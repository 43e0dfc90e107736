package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.apertium.ApertiumConfig;
import io.parley.translate.apertium.ApertiumTranslator;
import io.parley.translate.marian.MarianTestModels;
import io.parley.translate.marian.engine.MarianTranslator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes over the neural English↔Portuguese models and Apertium pairs declared here (so that the
 * routes do not depend on which other pairs the machine has), chosen by the stated rule — and
 * the neural translator batches what arrives together.
 */
class NeuralRoutingTest {

    private static MarianTranslator marian;
    private static ApertiumTranslator apertium;
    private static TranslationRouter router;

    @BeforeAll
    static void start() throws Exception {
        marian = new MarianTranslator(List.of(MarianTestModels.engine("mt-enpt"), MarianTestModels.engine("mt-pten")));
        apertium = ApertiumTranslator.discover(ApertiumConfig.defaults());
        router = new TranslationRouter(List.of(DeclaredPairs.of(marian, "en-pt", "pt-en"),
                DeclaredPairs.of(apertium, "es-pt", "pt-es", "es-en", "en-es", "ca-en", "en-ca")),
                RouteScores.none(), RoutePolicy.DEFAULT);
    }

    @AfterAll
    static void stop() {
        apertium.close();
    }

    @Test
    void aFullQueueRefusesAtOnceInsteadOfGrowing() throws Exception {
        // A queue of 3 sentences, shared models (not closed here: other tests use them).
        MarianTranslator small = new MarianTranslator(List.of(MarianTestModels.engine("mt-enpt")), null, 3);
        List<CompletableFuture<List<Translation>>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(small.translate(LanguagePair.of("en", "pt"), List.of("This is sentence number " + i + ".")));
        }
        int done = 0;
        int refused = 0;
        for (CompletableFuture<List<Translation>> r : requests) {
            try {
                r.get(60, TimeUnit.SECONDS);
                done++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof io.parley.translate.api.TranslationException te
                        && te.code().equals("translation_overloaded"), e.getCause().toString());
                refused++;
            }
        }
        assertTrue(refused > 0 && done >= 3, done + " translated, " + refused + " refused");
        assertTrue(small.pendingRequests() == 0, "nothing left waiting");
    }

    @Test
    void eachPairTakesTheRouteTheRuleNames() {
        assertEquals(List.of("marian"), router.route("en", "pt").orElseThrow().engines());
        assertEquals(List.of("marian"), router.route("pt", "en").orElseThrow().engines());
        // Spanish reaches Portuguese through English and the neural model: one step more than
        // Apertium's direct pair, as the rule allows (and as measured: 51.6 against 50.0 chrF).
        assertEquals(List.of("es", "en", "pt"), router.route("es", "pt").orElseThrow().languages());
        // Through the neural model, one step longer than Apertium's direct pair.
        assertEquals(List.of("es", "pt", "en"), router.route("es", "en").orElseThrow().languages());
        Route catalanToPortuguese = router.route("ca", "pt").orElseThrow();
        assertEquals(List.of("ca", "en", "pt"), catalanToPortuguese.languages(), "through English");
        assertEquals(List.of("apertium", "marian"), catalanToPortuguese.engines());
    }

    @Test
    void aSupportAgentTypesEnglishAndTheCustomerReadsPortuguese() throws Exception {
        Translation pt = router.route("en", "pt").orElseThrow()
                .translate(List.of("Thank you for calling. How can I help you today?")).get(30, TimeUnit.SECONDS).getFirst();
        assertTrue(pt.text().contains("Obrigad"), pt.text());
        assertTrue(pt.text().contains("?"), "two sentences, both translated: " + pt.text());
        // The customer speaks Spanish; the agent reads English, and a Portuguese colleague Portuguese.
        String spanish = "Necesito ayuda con mi cuenta.";
        String en = router.route("es", "en").orElseThrow().translate(List.of(spanish)).get(30, TimeUnit.SECONDS).getFirst().text();
        String ptFromEs = router.route("es", "pt").orElseThrow().translate(List.of(spanish)).get(30, TimeUnit.SECONDS).getFirst().text();
        assertTrue(en.toLowerCase().contains("help"), en);
        assertTrue(ptFromEs.toLowerCase().contains("ajuda"), ptFromEs);
    }

    @Test
    void sentencesFromManyRoomsAreDecodedTogether() throws Exception {
        List<String> lines = io.parley.translate.eval.MtTestData.lines("en-pt/src.txt").subList(0, 16);
        long batchesBefore = marian.batches();
        long sentencesBefore = marian.sentences();
        List<CompletableFuture<List<Translation>>> rooms = new ArrayList<>();
        for (String line : lines) {
            rooms.add(marian.translate(LanguagePair.of("en", "pt"), List.of(line)));
        }
        List<String> together = new ArrayList<>();
        for (CompletableFuture<List<Translation>> f : rooms) {
            together.add(f.get(60, TimeUnit.SECONDS).getFirst().text());
        }
        long batches = marian.batches() - batchesBefore;
        long sentences = marian.sentences() - sentencesBefore;
        assertTrue(sentences >= 16, "every sentence decoded");
        assertTrue(batches < sentences, batches + " batches for " + sentences + " sentences");
        // And batching changes no translation.
        List<String> alone = MarianTestModels.engine("mt-enpt").translate(List.of(lines.get(3)), 1);
        assertEquals(alone.getFirst(), together.get(3));
        assertFalse(together.stream().anyMatch(String::isBlank));
    }
}
