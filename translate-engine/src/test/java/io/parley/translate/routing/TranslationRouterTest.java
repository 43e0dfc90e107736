package io.parley.translate.routing;

import io.parley.translate.apertium.ApertiumConfig;
import io.parley.translate.apertium.ApertiumReference;
import io.parley.translate.apertium.ApertiumTranslator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes over the real Apertium pairs that {@code ./parley test} installs (eng-spa and fr-es):
 * direct where a pair exists, through English where it can, else through Spanish.
 */
class TranslationRouterTest {

    private static ApertiumTranslator apertium;
    private static TranslationRouter router;

    @BeforeAll
    static void start() {
        apertium = ApertiumTranslator.discover(ApertiumConfig.defaults());
        router = new TranslationRouter(List.of(apertium));
    }

    @AfterAll
    static void stop() {
        apertium.close();
    }

    @Test
    void directPairsAreTakenAsTheyAre() {
        assertEquals(List.of("en", "es"), router.route("en", "es").orElseThrow().languages());
        assertEquals(List.of("fr", "es"), router.route("fr", "es").orElseThrow().languages());
    }

    @Test
    void frenchReachesEnglishThroughSpanish() throws Exception {
        Route route = router.route("fr", "en").orElseThrow();
        assertEquals(List.of("fr", "es", "en"), route.languages());
        String french = "Bonjour à tous, nous parlons du budget.";
        String english = route.translate(List.of(french)).get(30, TimeUnit.SECONDS).getFirst().text();
        assertEquals(ApertiumReference.translate("spa-eng", ApertiumReference.translate("fr-es", french)), english);
        assertEquals(List.of("en", "es", "fr"), router.route("en", "fr").orElseThrow().languages());
        assertTrue(router.targetsFrom("fr").containsAll(List.of("fr", "es", "en")), router.targetsFrom("fr").toString());
    }

    @Test
    void noRouteToALanguageNothingReaches() {
        assertTrue(router.route("en", "ja").isEmpty());
        assertTrue(router.route("en", "en").isEmpty());
    }
}
