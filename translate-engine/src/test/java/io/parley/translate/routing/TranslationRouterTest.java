package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's choices over a graph declared here (not the machine's installed pairs), with
 * fake engines that tag their output ({@link TaggingEngine}); {@link RouteChainTest} routes the
 * real engines.
 */
class TranslationRouterTest {

    // Parley's shape: a neural English<->Portuguese model, rule-based pairs around it.
    private static final TaggingEngine NEURAL = TaggingEngine.of("marian", true, "en-pt", "pt-en");
    private static final TaggingEngine RULES = TaggingEngine.of("apertium", false,
            "en-es", "es-en", "pt-es", "es-pt", "es-ca", "ca-es", "pt-ca", "ca-pt", "ca-fr", "fr-ca", "es-it", "en-ca", "ca-en");
    private static final List<io.parley.translate.api.Translator> ENGINES = List.of(NEURAL, RULES);

    private static RouteScores table(String tsv) throws Exception {
        return RouteScores.read(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), "test table");
    }

    @Test
    void theBestScoredRouteWinsWhateverItsLength() throws Exception {
        RouteScores scores = table("""
                # a comment
                route\tchrf\tbleu\tsentences\tms_per_sentence
                apertium:en-es\t43.9\t11.7\t200\t20
                marian:en-pt,apertium:pt-es\t49.4\t19.2\t200\t150
                apertium:en-ca,apertium:ca-es\t40.0\t10.0\t200\t40
                """);
        TranslationRouter router = new TranslationRouter(ENGINES, scores, RoutePolicy.DEFAULT);
        RouteChoice choice = router.choice("en", "es").orElseThrow();
        assertEquals("marian:en-pt,apertium:pt-es", choice.route().signature());
        assertEquals(49.4, choice.score().orElseThrow().chrF());
        assertTrue(choice.reason().contains("chrF 49.4"), choice.reason());
        // And when the direct pair measures better, it wins.
        RouteScores other = table("apertium:en-es\t55.0\t20.0\t200\t20\nmarian:en-pt,apertium:pt-es\t49.4\t19.2\t200\t150\n");
        assertEquals("apertium:en-es", new TranslationRouter(ENGINES, other, RoutePolicy.DEFAULT)
                .route("en", "es").orElseThrow().signature());
    }

    @Test
    void aLongerRouteMustWinByMoreThanTheNoise() throws Exception {
        RouteScores scores = table("""
                apertium:pt-es\t49.86\t20.0\t200\t2
                apertium:pt-ca,apertium:ca-es\t49.93\t20.1\t200\t4
                apertium:es-ca\t50.0\t20.0\t200\t2
                apertium:es-pt,apertium:pt-ca\t51.0\t21.0\t200\t4
                """);
        TranslationRouter router = new TranslationRouter(ENGINES, scores, RoutePolicy.DEFAULT);
        // 0.07 chrF more is no reason for a second step ...
        RouteChoice ptEs = router.choice("pt", "es").orElseThrow();
        assertEquals("apertium:pt-es", ptEs.route().signature());
        assertTrue(ptEs.reason().contains("in fewer steps"), ptEs.reason());
        assertEquals("apertium:pt-ca,apertium:ca-es", ptEs.candidates().get(1).signature(), "the top scorer is next");
        // ... a whole point is.
        assertEquals("apertium:es-pt,apertium:pt-ca", router.route("es", "ca").orElseThrow().signature());
    }

    @Test
    void aMeasuredRouteBeatsAnUnmeasuredOne() throws Exception {
        // Only the three-step route is measured: a measurement beats the rule's guess.
        RouteScores scores = table("marian:en-pt,apertium:pt-ca,apertium:ca-es\t30\t5\t200\t90\n");
        assertEquals("marian:en-pt,apertium:pt-ca,apertium:ca-es",
                new TranslationRouter(ENGINES, scores, RoutePolicy.DEFAULT).route("en", "es").orElseThrow().signature());
    }

    @Test
    void withoutScoresTheStatedRuleDecides() {
        TranslationRouter router = new TranslationRouter(ENGINES, RouteScores.none(), RoutePolicy.DEFAULT);
        // A neural route may take one step more than a rule-based one and still win ...
        assertEquals("marian:en-pt,apertium:pt-es", router.route("en", "es").orElseThrow().signature());
        assertEquals("apertium:es-pt,marian:pt-en", router.route("es", "en").orElseThrow().signature());
        // ... but not two: Spanish to Catalan stays direct rather than detour through English.
        assertEquals("apertium:es-ca", router.route("es", "ca").orElseThrow().signature());
        // A direct neural model is the best of all.
        assertEquals("marian:en-pt", router.route("en", "pt").orElseThrow().signature());
        // Where only rule-based routes reach, fewer steps win: Italian through Spanish.
        assertEquals(List.of("fr", "ca", "es", "it"), router.route("fr", "it").orElseThrow().languages());
        assertTrue(router.choice("en", "es").orElseThrow().reason().contains("not measured"));
    }

    @Test
    void aRouteTooSlowForCaptionsCarriesOnlyText() throws Exception {
        RouteScores scores = table("""
                apertium:en-es\t43.9\t11.7\t200\t20
                marian:en-pt,apertium:pt-es\t49.4\t19.2\t200\t1800
                """);
        TranslationRouter router = new TranslationRouter(ENGINES, scores, new RoutePolicy(3, 1000));
        assertEquals("marian:en-pt,apertium:pt-es", router.route("en", "es").orElseThrow().signature());
        assertEquals("apertium:en-es", router.captionRoute("en", "es").orElseThrow().signature());
        assertTrue(router.choice("en", "es").orElseThrow().reason().contains("1800 ms"));
        // Within budget, captions take the best route too.
        assertEquals(router.route("pt", "en"), router.captionRoute("pt", "en"));
    }

    @Test
    void noRouteLoopsOrExceedsTheBound() {
        RouteGraph graph = new RouteGraph(ENGINES);
        int routes = 0;
        for (String s : graph.languages()) {
            for (String t : graph.languages()) {
                for (Route r : graph.candidates(s, t, 3)) {
                    routes++;
                    assertEquals(r.languages().size(), new HashSet<>(r.languages()).size(), "a language twice: " + r.signature());
                    assertTrue(r.hops() <= 3, r.signature());
                    assertEquals(s, r.languages().getFirst());
                    assertEquals(t, r.languages().getLast());
                }
                assertTrue(graph.candidates(s, t, 1).size() <= 2);
            }
        }
        assertTrue(routes > 50, routes + " candidate routes: a graph worth searching");
        // A route that comes back to a language is refused outright.
        assertThrows(IllegalArgumentException.class, () -> new Route(LanguagePair.of("en", "es"), List.of(
                new Route.Step(LanguagePair.of("en", "pt"), NEURAL),
                new Route.Step(LanguagePair.of("pt", "en"), NEURAL),
                new Route.Step(LanguagePair.of("en", "es"), RULES))));
        // Two hops at most: French reaches Italian no more (it needs three).
        TranslationRouter twoHops = new TranslationRouter(ENGINES, RouteScores.none(), new RoutePolicy(2, 1000));
        assertTrue(twoHops.route("fr", "it").isEmpty());
        assertTrue(twoHops.route("en", "ja").isEmpty());
        assertTrue(twoHops.route("en", "en").isEmpty());
    }

    @Test
    void aRouteChainsItsEnginesAndKeepsEveryStepsUnknownWords() throws Exception {
        TranslationRouter router = new TranslationRouter(ENGINES, RouteScores.none(), RoutePolicy.DEFAULT);
        Route route = router.route("en", "fr").orElseThrow();
        assertEquals("marian:en-pt,apertium:pt-ca,apertium:ca-fr", route.signature());
        var out = route.translate(List.of("hello ?zorp")).get(5, TimeUnit.SECONDS).getFirst();
        assertEquals("hello ?zorp [marian:en-pt] [apertium:pt-ca] [apertium:ca-fr]", out.text());
        // Every step flags the word it passes on unchanged; the reader is told once.
        assertEquals(List.of("?zorp"), out.flaggedWords());
    }

    @Test
    void theTableRefusesWhatItCannotRead() {
        var e = assertThrows(IllegalArgumentException.class, () -> table("apertium:en-es\t43.9\t11.7\n"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> table("apertium:en-es\t143.9\t11.7\t200\t20\n"));
        assertThrows(IllegalArgumentException.class, () -> table("a\t1\t1\t1\t1\na\t2\t2\t2\t2\n"));
    }

    @Test
    void theBundledTableNamesWellFormedRoutes() {
        RouteScores bundled = RouteScores.bundled();
        assertTrue(bundled.size() > 0, "./parley bench mt writes the table; this build carries one");
        Set<String> seen = new HashSet<>();
        bundled.all().forEach(s -> {
            String text = "[a-z]+:[a-z]{2,3}-[a-z]{2,3}(,[a-z]+:[a-z]{2,3}-[a-z]{2,3})*";
            String speech = "speech:(whisper-translate:[a-z]{2,3}-en|whisper-transcribe:[a-z]{2,3}\\+" + text + ")";
            assertTrue(s.route().matches(text) || s.route().matches(speech), s.route());
            assertTrue(seen.add(s.route()));
        });
    }
}
