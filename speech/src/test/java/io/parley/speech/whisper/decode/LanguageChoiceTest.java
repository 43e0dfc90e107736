package io.parley.speech.whisper.decode;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LanguageChoiceTest {

    private static LanguageProbabilities heard(Object... codeAndP) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < codeAndP.length; i += 2) {
            m.put((String) codeAndP[i], (Double) codeAndP[i + 1]);
        }
        return new LanguageProbabilities(m);
    }

    @Test
    void anyLanguageIsWhispersOwnRule() {
        assertEquals("la", LanguageChoice.ANY.choose(heard("pt", 0.3, "la", 0.5, "en", 0.2)));
    }

    @Test
    void onlyTheExpectedLanguagesAreChosenAmong() {
        // A Portuguese utterance opening with a foreign name: Latin is the best guess, but not expected.
        LanguageChoice c = LanguageChoice.among(List.of("en", "pt"));
        assertEquals("pt", c.choose(heard("pt", 0.3, "la", 0.5, "en", 0.2)));
    }

    @Test
    void theStreamsLanguageIsKeptUntilTheEvidenceChanges() {
        LanguageChoice c = LanguageChoice.among(List.of()).from("es");
        // "ok": English a little more likely than Spanish; the stream stays in Spanish.
        assertEquals("es", c.choose(heard("en", 0.5, "es", 0.4, "pt", 0.1)));
        // Clearly English now: more than four times as likely.
        assertEquals("en", c.choose(heard("en", 0.85, "es", 0.1, "pt", 0.05)));
    }

    @Test
    void aCurrentLanguageOutsideTheExpectedOnesIsNotKept() {
        LanguageChoice c = new LanguageChoice(Set.of("en", "pt"), "es", 4.0);
        assertEquals("en", c.choose(heard("en", 0.4, "es", 0.35, "pt", 0.25)));
    }

    @Test
    void stickinessBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LanguageChoice(Set.of(), null, 0.5));
    }
}
