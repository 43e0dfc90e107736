package io.parley.translate.apertium;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.TranslationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real Apertium pipeline from Debian's apertium-eng-spa. */
class ApertiumTranslatorTest {

    private static final LanguagePair EN_ES = LanguagePair.of("en", "es");
    private static ApertiumTranslator translator;

    @BeforeAll
    static void start() {
        ApertiumConfig config = ApertiumConfig.defaults();
        assertTrue(Files.isRegularFile(config.modesDir().resolve("eng-spa.mode")),
                "Apertium's eng-spa pair must be installed (./parley test installs apertium-eng-spa)");
        translator = ApertiumTranslator.discover(config);
    }

    @AfterAll
    static void stop() {
        translator.close();
    }

    private static Translation one(LanguagePair pair, String text) throws Exception {
        return translator.translate(pair, List.of(text)).get(30, TimeUnit.SECONDS).getFirst();
    }

    @Test
    void discoversInstalledDirectionsAsIso6391Pairs() {
        assertTrue(translator.pairs().contains(EN_ES), translator.pairs().toString());
        assertTrue(translator.pairs().contains(LanguagePair.of("es", "en")), translator.pairs().toString());
    }

    @Test
    void translatesLikeApertiumsOwnCommandLine() throws Exception {
        for (String text : List.of("Good morning, everyone, and welcome to today's meeting.",
                "Please turn on the captions so that everyone can follow along.",
                "he was not an ill disposed young man")) {
            assertEquals(ApertiumReference.translate("eng-spa", text), one(EN_ES, text).text(), text);
        }
    }

    @Test
    void userTextCannotInjectStreamFormatMarkup() throws Exception {
        String hostile = "The ^cat<n><pl>$ sat on [the] {mat} \\ / @home #1 *star ~x.";
        Translation t = one(EN_ES, hostile);
        // Every reserved character comes back as text, none was taken as markup.
        for (String s : List.of("^", "<n><pl>", "$", "[", "]", "{", "}", "\\", "/", "@", "#", "*", "~")) {
            assertTrue(t.text().contains(s), "'" + s + "' kept in: " + t.text());
        }
        // A NUL in the text must not split the request: the next request still gets its own answer.
        Translation withNul = one(EN_ES, "The dog\0 is big.");
        assertFalse(withNul.text().isEmpty());
        assertEquals(ApertiumReference.translate("eng-spa", "Hello world."), one(EN_ES, "Hello world.").text());
    }

    @Test
    void unknownWordsAreFlaggedNotStarred() throws Exception {
        Translation t = one(EN_ES, "I like Qzxyplonk trees.");
        assertFalse(t.text().contains("*"), t.text());
        assertTrue(t.text().contains("Qzxyplonk"), t.text());
        assertEquals(List.of("Qzxyplonk"), t.flaggedWords());
    }

    @Test
    void manyConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add(i % 2 == 0 ? "The house number " + i + " is red." : "I have " + i + " dogs.");
        }
        List<CompletableFuture<List<Translation>>> futures = new ArrayList<>();
        for (String text : texts) {
            futures.add(translator.translate(EN_ES, List.of(text)));
        }
        for (int i = 0; i < texts.size(); i++) {
            String got = futures.get(i).get(60, TimeUnit.SECONDS).getFirst().text();
            assertTrue(got.contains(Integer.toString(i)), "answer " + i + " belongs to its request: " + got);
        }
    }

    @Test
    void aCrashedProcessIsRestartedAndLosesNoAcceptedText() throws Exception {
        ApertiumPipeline pipeline = translator.pipeline(EN_ES);
        assertEquals(ApertiumReference.translate("eng-spa", "Hello world."), one(EN_ES, "Hello world.").text());
        int restartsBefore = pipeline.restarts();
        List<CompletableFuture<List<Translation>>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(translator.translate(EN_ES, List.of("The number " + i + " is small.")));
        }
        pipeline.killForTest(); // as if the process had crashed with requests inside it
        for (int i = 0; i < futures.size(); i++) {
            assertTrue(futures.get(i).get(60, TimeUnit.SECONDS).getFirst().text().contains(Integer.toString(i)));
        }
        assertEquals(ApertiumReference.translate("eng-spa", "Hello world."), one(EN_ES, "Hello world.").text());
        assertTrue(pipeline.restarts() >= restartsBefore, "restart counted");
    }

    @Test
    void anUninstalledPairFailsWithAStableCode() {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> translator.translate(LanguagePair.of("en", "xx"), List.of("hi")).get());
        TranslationException cause = assertInstanceOf(TranslationException.class, e.getCause());
        assertEquals("unsupported_pair", cause.code());
    }

    @Test
    void modeFileNamesMapToLanguagePairs() {
        assertEquals(LanguagePair.of("en", "es"), ApertiumModes.parse(Path.of("eng-spa.mode")).orElseThrow());
        assertEquals(LanguagePair.of("es", "pt"), ApertiumModes.parse(Path.of("es-pt.mode")).orElseThrow());
        assertTrue(ApertiumModes.parse(Path.of("spa-eng_US.mode")).isEmpty(), "regional variants are left out");
        assertTrue(ApertiumModes.parse(Path.of("eng-spa-tagger.mode")).isEmpty(), "debug modes are left out");
    }
}
