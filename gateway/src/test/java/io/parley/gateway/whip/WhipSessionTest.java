package io.parley.gateway.whip;

import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.speech.recognizer.RecognizerSession;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a WHIP session does with the frames libwebrtc hands it on its audio thread. The recognizer
 * session here is a fake that studies a failure of the real one: a session that has ended and
 * throws, as a real one does when a shutdown's drain finished it while a frame was on its way.
 * Anything thrown back into libwebrtc's thread aborts the process, so nothing may be.
 */
class WhipSessionTest {

    /** Counts what it takes; once ended, refuses like a real session. */
    static final class EndingSession implements RecognizerSession {
        final AtomicInteger samples = new AtomicInteger();
        volatile boolean ended;
        volatile boolean finished;

        @Override
        public void accept(float[] s, int offset, int length) {
            if (ended) {
                throw new IllegalStateException("the session has ended");
            }
            samples.addAndGet(length);
        }

        @Override
        public double backlogSeconds() {
            return 0;
        }

        @Override
        public void finish() {
            finished = true;
            ended = true;
        }

        @Override
        public void abort() {
            ended = true;
        }
    }

    /** 10 ms of 48 kHz stereo, as libwebrtc delivers decoded Opus. */
    static byte[] frame() {
        return new byte[480 * 2 * 2];
    }

    @Test
    void framesReachTheRecognizerAt16kHzMono() {
        EndingSession recognizer = new EndingSession();
        WhipSession session = new WhipSession("s1", null, new GatewayMetrics(), () -> { });
        session.attach(new SpeakerIngest(null, recognizer, "en"), null);
        session.onData(frame(), 16, 48_000, 2, 480);
        assertEquals(160, recognizer.samples.get(), "10 ms at 16 kHz");
    }

    @Test
    void aFrameArrivingAfterTheRecognizerSessionEndedIsDroppedQuietly() {
        EndingSession recognizer = new EndingSession();
        GatewayMetrics metrics = new GatewayMetrics();
        WhipSession session = new WhipSession("s2", null, metrics, () -> { });
        session.attach(new SpeakerIngest(null, recognizer, "en"), null);
        recognizer.finish(); // the drain got there first
        assertDoesNotThrow(() -> session.onData(frame(), 16, 48_000, 2, 480));
        assertEquals(0, recognizer.samples.get());
    }

    @Test
    void anEndedSessionTakesNoMoreAudioAndFinishesItsRecognizerOnce() {
        EndingSession recognizer = new EndingSession();
        AtomicInteger closed = new AtomicInteger();
        WhipSession session = new WhipSession("s3", null, new GatewayMetrics(), closed::incrementAndGet);
        session.attach(new SpeakerIngest(null, recognizer, "en"), null);
        session.onData(frame(), 16, 48_000, 2, 480);
        session.end("test");
        session.end("again");
        assertTrue(recognizer.finished && session.ended());
        assertEquals(1, closed.get());
        session.onData(frame(), 16, 48_000, 2, 480);
        assertEquals(160, recognizer.samples.get(), "nothing after the end");
    }
}
