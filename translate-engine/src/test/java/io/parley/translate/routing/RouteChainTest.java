package io.parley.translate.routing;

import io.parley.translate.apertium.ApertiumConfig;
import io.parley.translate.apertium.ApertiumReference;
import io.parley.translate.apertium.ApertiumTranslator;
import io.parley.translate.marian.MarianTestModels;
import io.parley.translate.marian.engine.MarianTranslator;
import io.parley.translate.service.Glossary;
import io.parley.translate.service.TextTranslator;
import io.parley.translate.service.TranslationCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multi-step routes on the real engines (the neural English↔Portuguese models and Apertium
 * pairs that {@code ./parley test} installs), over a graph of declared pairs and no scores, so
 * that the stated rule picks the routes: English reaches French through Portuguese and Catalan.
 */
class RouteChainTest {

    private static MarianTranslator marian;
    private static ApertiumTranslator apertium;
    private static TranslationRouter router;

    @BeforeAll
    static void start() throws Exception {
        marian = new MarianTranslator(List.of(MarianTestModels.engine("mt-enpt"), MarianTestModels.engine("mt-pten")));
        apertium = ApertiumTranslator.discover(ApertiumConfig.defaults());
        router = new TranslationRouter(List.of(
                DeclaredPairs.of(marian, "en-pt", "pt-en"),
                DeclaredPairs.of(apertium, "pt-ca", "ca-fr", "es-pt", "pt-es", "en-es")), RouteScores.none(), RoutePolicy.DEFAULT);
    }

    @AfterAll
    static void stop() {
        apertium.close();
    }

    @Test
    void aThreeStepRouteGivesWhatItsEnginesGiveOneAfterTheOther() throws Exception {
        Route route = router.route("en", "fr").orElseThrow();
        assertEquals(List.of("en", "pt", "ca", "fr"), route.languages());
        assertEquals(List.of("marian", "apertium", "apertium"), route.engines());
        String english = "The meeting starts at nine, and the budget is the first item.";
        String portuguese = MarianTestModels.engine("mt-enpt").translate(List.of(english), 1).getFirst();
        String expected = ApertiumReference.translate("cat-fra", ApertiumReference.translate("por-cat", portuguese));
        String french = route.translate(List.of(english)).get(60, TimeUnit.SECONDS).getFirst().text();
        assertEquals(expected, french);
    }

    @Test
    void aGlossaryTermSurvivesEveryStep() throws Exception {
        TextTranslator translator = new TextTranslator(router, new TranslationCache(16));
        Glossary glossary = new Glossary(List.of(
                new Glossary.Entry("ticket", Map.of("fr", "fiche d'incident")),
                new Glossary.Entry("Acme Cloud", Map.of())));
        TextTranslator.Result r = translator.translate("en", "fr",
                "Please open a ticket before you restart Acme Cloud.", glossary).get(60, TimeUnit.SECONDS);
        assertEquals(3, r.route().hops());
        assertTrue(r.text().contains("fiche d'incident"), r.text());
        assertTrue(r.text().contains("Acme Cloud"), r.text());
        assertFalse(r.text().toUpperCase().matches(".*(ZX|QX|XZ|ZQ|QZ)\\d{4}.*"), "a placeholder left: " + r.text());
        assertTrue(r.flagged().stream().noneMatch(w -> w.matches("(?i)(zx|qx|xz|zq|qz)\\d+")), r.flagged().toString());
    }

    @Test
    void aWordUnknownToTheFirstStepIsFlaggedAtTheEnd() throws Exception {
        Route route = router.route("es", "en").orElseThrow();
        assertEquals(List.of("apertium", "marian"), route.engines(), "Spanish reaches English through Portuguese");
        var out = route.translate(List.of("El zumbificador de la oficina está roto.")).get(60, TimeUnit.SECONDS).getFirst();
        assertTrue(out.flaggedWords().contains("zumbificador"), out.flaggedWords() + " / " + out.text());
    }
}
