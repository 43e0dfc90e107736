package io.parley.speech.whisper.stream;

import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.eval.SyntheticSpeech;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecordingListener;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session asked for English from speech ({@link SessionOptions#englishFromSpeech()}) gives each
 * final in those languages Whisper's own English translation beside the transcript, from the same
 * pass's encoding; other languages, English itself, and sessions that do not ask, get none.
 * Speech in Spanish made by espeak-ng (installed by {@code ./parley test}).
 */
class SpeechToEnglishTest {

    static final int RATE = 16_000;
    static JvmAccelerator acc;
    static WhisperRecognizer recognizer;
    static float[] spanish;

    @BeforeAll
    static void load() throws Exception {
        acc = new JvmAccelerator();
        recognizer = WhisperRecognizer.load(StreamingConfig.defaults(), acc);
        spanish = speak("es", "Buenos días a todos. Hoy vamos a hablar del presupuesto.");
    }

    @AfterAll
    static void close() {
        recognizer.close();
        acc.close();
    }

    /** {@code text} spoken, with half a second of silence before and a second and a half after. */
    static float[] speak(String voice, String text) throws Exception {
        float[] speech = SyntheticSpeech.speak(voice, text);
        float[] padded = new float[speech.length + 2 * RATE];
        System.arraycopy(speech, 0, padded, RATE / 2, speech.length);
        return padded;
    }

    static List<Utterance> finals(String language, Predicate<String> englishFromSpeech, float[] audio) throws Exception {
        return finals(recognizer, new SessionOptions(language, "test", SessionOptions.Task.TRANSCRIBE, List::of,
                englishFromSpeech), audio);
    }

    /** Streams the audio through a session of {@code options} twice as fast as real time, then ends it: its finals with text. */
    static List<Utterance> finals(WhisperRecognizer recognizer, SessionOptions options, float[] audio) throws Exception {
        RecordingListener captions = new RecordingListener();
        RecognizerSession session = recognizer.open(options, captions);
        for (int i = 0; i < audio.length; i += RATE / 10) {
            session.accept(audio, i, Math.min(RATE / 10, audio.length - i));
            Thread.sleep(50);
        }
        session.finish();
        assertTrue(captions.ended.await(120, TimeUnit.SECONDS), "the session did not end");
        assertEquals(List.of(), captions.errors);
        return captions.finals.stream().filter(u -> !u.text().isBlank()).toList();
    }

    @Test
    void aSpanishFinalComesWithWhispersEnglish() throws Exception {
        List<Utterance> finals = finals("es", lang -> lang.equals("es"), spanish);
        assertFalse(finals.isEmpty());
        System.out.println("finals: " + finals.stream().map(u -> u.language() + ": " + u.text() + " / " + u.english()).toList());
        String english = String.join(" ", finals.stream().map(Utterance::english).toList()).toLowerCase();
        for (Utterance u : finals) {
            assertEquals("es", u.language());
            assertTrue(u.english() != null && !u.english().equals(u.text()), "English beside '" + u.text() + "': " + u.english());
        }
        assertTrue(english.contains("good") || english.contains("budget"), english);
        assertTrue(String.join(" ", finals.stream().map(Utterance::text).toList()).toLowerCase().contains("presupuesto"),
                "the transcript itself stays Spanish: " + finals);
    }

    @Test
    void noEnglishWhereNotAskedFor() throws Exception {
        for (Utterance u : finals("es", lang -> false, spanish)) {
            assertNull(u.english(), u.toString());
        }
        // Asked for other languages only: Spanish speech is left alone.
        for (Utterance u : finals("es", lang -> lang.equals("fr"), spanish)) {
            assertNull(u.english(), u.toString());
        }
    }
}
