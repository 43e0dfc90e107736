package io.parley.speech.whisper.vad;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Silero's hysteresis on probabilities given by hand, and a copy that looks ahead. */
class SpeechDetectorTest {

    private static final int CHUNK = SileroVad.CHUNK;
    private final SpeechDetector detector = new SpeechDetector(VadConfig.defaults());
    private long position;

    private SpeechDetector.Event feed(SpeechDetector d, float p) {
        SpeechDetector.Event e = d.update(p, position, CHUNK);
        position += CHUNK;
        return e;
    }

    @Test
    void speechStartsAfterMinSpeechAndEndsAfterMinSilenceBelowTheLowerThreshold() {
        assertEquals(SpeechDetector.Event.NONE, feed(detector, 0.9f));
        for (int i = 1; i < 3; i++) {
            assertEquals(SpeechDetector.Event.NONE, feed(detector, 0.9f));
        }
        assertEquals(SpeechDetector.Event.SPEECH_STARTED, feed(detector, 0.9f)); // 4 chunks: 128 ms
        long lastSpeech = position;
        feed(detector, 0.4f); // between the thresholds: neither speech nor silence
        assertEquals(0, detector.trailingSilence(position));
        long silenceFrom = position;
        SpeechDetector.Event e = SpeechDetector.Event.NONE;
        int chunks = 0;
        while (e == SpeechDetector.Event.NONE) {
            e = feed(detector, 0.1f);
            chunks++;
        }
        assertEquals(SpeechDetector.Event.SPEECH_ENDED, e);
        assertEquals(16, chunks, "500 ms of silence is 16 chunks");
        assertEquals(silenceFrom, detector.speechEnd());
        assertTrue(lastSpeech < detector.speechEnd());
    }

    @Test
    void aCopyGoesOnFromTheSameStateWithoutMovingTheOriginal() {
        for (int i = 0; i < 4; i++) {
            feed(detector, 0.9f);
        }
        feed(detector, 0.1f); // a pause begins
        long at = position;
        SpeechDetector ahead = detector.copy();
        assertEquals(detector.trailingSilence(at), ahead.trailingSilence(at));
        SpeechDetector.Event e = SpeechDetector.Event.NONE;
        while (e == SpeechDetector.Event.NONE) {
            e = feed(ahead, 0.1f);
        }
        assertEquals(SpeechDetector.Event.SPEECH_ENDED, e);
        assertFalse(ahead.inSpeech());
        assertTrue(detector.inSpeech(), "the original has not seen the chunks the copy took");
        assertEquals(CHUNK, detector.trailingSilence(at));
    }
}
