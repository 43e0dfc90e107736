package io.parley.speech.whisper.vad;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Silero's hysteresis, on probabilities given by hand. */
class SpeechDetectorTest {

    private static final int CHUNK = SileroVad.CHUNK;
    private final SpeechDetector detector = new SpeechDetector(VadConfig.defaults());
    private long position;

    private SpeechDetector.Event feed(float p) {
        SpeechDetector.Event e = detector.update(p, position, CHUNK);
        position += CHUNK;
        return e;
    }

    @Test
    void speechStartsAfterMinSpeechAndEndsAfterMinSilenceBelowTheLowerThreshold() {
        for (int i = 0; i < 3; i++) {
            assertEquals(SpeechDetector.Event.NONE, feed(0.9f));
        }
        assertEquals(SpeechDetector.Event.SPEECH_STARTED, feed(0.9f), "four chunks: 128 ms");
        feed(0.4f); // between the thresholds: neither speech nor silence
        assertEquals(0, detector.trailingSilence(position));
        long silenceFrom = position;
        SpeechDetector.Event e = SpeechDetector.Event.NONE;
        int chunks = 0;
        while (e == SpeechDetector.Event.NONE) {
            e = feed(0.1f);
            chunks++;
            if (e == SpeechDetector.Event.NONE) {
                assertEquals(chunks * (long) CHUNK, detector.trailingSilence(position));
            }
        }
        assertEquals(SpeechDetector.Event.SPEECH_ENDED, e);
        assertEquals(16, chunks, "500 ms of silence is 16 chunks of 32 ms");
        assertEquals(silenceFrom, detector.speechEnd());
        assertFalse(detector.inSpeech());
    }

    @Test
    void aChunkBackAtTheThresholdEndsThePauseButOneBetweenTheThresholdsDoesNot() {
        for (int i = 0; i < 4; i++) {
            feed(0.9f);
        }
        feed(0.1f);
        feed(0.4f); // above the end threshold, below the start one: the pause goes on
        assertEquals(2L * CHUNK, detector.trailingSilence(position));
        feed(0.6f); // speech again
        assertEquals(0, detector.trailingSilence(position));
        assertTrue(detector.inSpeech());
    }
}
