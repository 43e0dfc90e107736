package io.parley.speech.whisper.stream;

import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.recognizer.RecordingListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A speaker that names the languages to expect ({@code auto} with a list) is captioned in one of
 * them: Whisper's identification chooses among those only, and the final pass, on the whole
 * utterance, decides the language of the final. Real Whisper base on Portuguese speech made by
 * espeak-ng (installed by {@code ./parley test}), which Whisper alone identifies as Spanish.
 */
class ExpectedLanguagesTest {

    static JvmAccelerator acc;
    static WhisperRecognizer recognizer;
    static float[] portuguese;

    @BeforeAll
    static void load() throws Exception {
        acc = new JvmAccelerator();
        recognizer = WhisperRecognizer.load(StreamingConfig.defaults(), acc);
        // espeak-ng's Brazilian voice: Whisper base alone takes it for Spanish.
        portuguese = SpeechToEnglishTest.speak("pt-br", "Bom dia a todos. Hoje vamos falar sobre o orçamento do próximo ano.");
    }

    @AfterAll
    static void close() {
        recognizer.close();
        acc.close();
    }

    static List<Utterance> finals(List<String> expected, float[] audio) throws Exception {
        return SpeechToEnglishTest.finals(recognizer, new SessionOptions("auto", "test").withExpectedLanguages(expected),
                audio);
    }

    @Test
    void speechInAnExpectedLanguageIsCaptionedInIt() throws Exception {
        List<Utterance> finals = finals(List.of("en", "pt"), portuguese);
        System.out.println("expected en, pt: " + finals.stream().map(u -> u.language() + ": " + u.text()).toList());
        assertFalse(finals.isEmpty());
        finals.forEach(u -> assertEquals("pt", u.language(), u.text()));
    }

    @Test
    void identificationNeverLeavesTheExpectedLanguages() throws Exception {
        // Portuguese speech in a stream that expects English and Italian only: whatever Whisper
        // makes of it, the caption language is one of the two.
        List<Utterance> finals = finals(List.of("en", "it"), portuguese);
        System.out.println("expected en, it: " + finals.stream().map(u -> u.language() + ": " + u.text()).toList());
        assertFalse(finals.isEmpty());
        finals.forEach(u -> assertTrue(Set.of("en", "it").contains(u.language()), u.language() + ": " + u.text()));
    }

    @Test
    void anExpectedLanguageTheModelDoesNotKnowIsRefusedAtOpen() {
        RecognizerException e = assertThrows(RecognizerException.class, () -> recognizer.open(
                new SessionOptions("auto", "test").withExpectedLanguages(List.of("en", "tlh")), new RecordingListener()));
        assertEquals("unsupported_language", e.code());
    }
}
