package io.parley.translate.service;

import io.parley.translate.apertium.ApertiumConfig;
import io.parley.translate.apertium.ApertiumTranslator;
import io.parley.translate.api.TranslationException;
import io.parley.translate.routing.TranslationRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sentences, the cache and glossaries over real Apertium pairs. */
class TextTranslatorTest {

    static ApertiumTranslator apertium;
    static TextTranslator translator;

    @BeforeAll
    static void start() {
        apertium = ApertiumTranslator.discover(ApertiumConfig.defaults());
        translator = new TextTranslator(new TranslationRouter(List.of(apertium)), new TranslationCache(100));
    }

    @AfterAll
    static void stop() {
        apertium.close();
    }

    @Test
    void aSentenceIsTranslatedOnceThenServedFromTheCache() throws Exception {
        String text = "The meeting starts now. Welcome everybody.";
        long misses = translator.cache().misses();
        long hits = translator.cache().hits();
        TextTranslator.Result first = translator.translate("en", "es", text, Glossary.EMPTY).get(30, TimeUnit.SECONDS);
        assertEquals(misses + 2, translator.cache().misses(), "two sentences, two misses");
        TextTranslator.Result again = translator.translate("en", "es", "Welcome everybody.", Glossary.EMPTY)
                .get(30, TimeUnit.SECONDS);
        assertEquals(hits + 1, translator.cache().hits());
        assertTrue(first.text().endsWith(again.text()), first.text() + " / " + again.text());
        assertEquals(List.of("en", "es"), first.route().languages());
    }

    @Test
    void theCacheForgetsTheLeastRecentlyUsed() {
        TranslationCache cache = new TranslationCache(2);
        var a = new TranslationCache.Key("apertium:en-es", "a", Glossary.EMPTY);
        var b = new TranslationCache.Key("apertium:en-es", "b", Glossary.EMPTY);
        var c = new TranslationCache.Key("apertium:en-es", "c", Glossary.EMPTY);
        var t = new io.parley.translate.api.Translation("x", List.of());
        cache.put(a, t);
        cache.put(b, t);
        cache.get(a);
        cache.put(c, t);
        assertEquals(t, cache.get(a));
        assertEquals(null, cache.get(b));
        assertEquals(2, cache.size());
    }

    @Test
    void aGlossaryChangesTheTranslationAndItsCacheEntry() throws Exception {
        Glossary g = new Glossary(List.of(new Glossary.Entry("ticket", java.util.Map.of("es", "incidencia"))));
        String plain = translator.translate("en", "es", "Open a ticket.", Glossary.EMPTY).get(30, TimeUnit.SECONDS).text();
        String forced = translator.translate("en", "es", "Open a ticket.", g).get(30, TimeUnit.SECONDS).text();
        assertTrue(!plain.contains("incidencia") && forced.contains("incidencia"), plain + " / " + forced);
    }

    @Test
    void noRouteFailsWithItsCode() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> translator.translate("en", "ja", "hello", Glossary.EMPTY).get(5, TimeUnit.SECONDS));
        assertEquals("unsupported_pair", assertInstanceOf(TranslationException.class, e.getCause()).code());
    }
}
