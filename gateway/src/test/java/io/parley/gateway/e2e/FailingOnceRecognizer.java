package io.parley.gateway.e2e;

import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecognizerStats;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.recognizer.Utterance;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real recognizer, made to fail once: its first session, after {@code failAfterSeconds} of
 * audio, behaves as an engine that crashed — it reports an error, says nothing more, and ends.
 * Everything else is the real engine's. A test double allowed here because the test studies a
 * failure of the real part (RecognizerFailureTest).
 */
final class FailingOnceRecognizer implements SpeechRecognizer {

    private final SpeechRecognizer real;
    private final int failAfterSamples;
    private final AtomicBoolean failedOnce = new AtomicBoolean();
    final AtomicInteger sessionsOpened = new AtomicInteger();

    FailingOnceRecognizer(SpeechRecognizer real, double failAfterSeconds) {
        this.real = real;
        this.failAfterSamples = (int) (failAfterSeconds * 16000);
    }

    @Override
    public String engine() {
        return real.engine();
    }

    @Override
    public Set<String> languages() {
        return real.languages();
    }

    @Override
    public boolean identifiesLanguage() {
        return real.identifiesLanguage();
    }

    @Override
    public RecognizerSession open(SessionOptions options, RecognitionListener listener) {
        sessionsOpened.incrementAndGet();
        if (failedOnce.get()) {
            return real.open(options, listener);
        }
        Crashing crashing = new Crashing(listener);
        crashing.inner = real.open(options, crashing);
        return crashing;
    }

    /** A session that dies after its threshold of audio, as a crashed engine would. */
    private final class Crashing implements RecognizerSession, RecognitionListener {
        final RecognitionListener out;
        RecognizerSession inner;
        int samples;
        volatile boolean dead;

        Crashing(RecognitionListener out) {
            this.out = out;
        }

        @Override
        public synchronized void accept(float[] s, int offset, int length) {
            if (dead) {
                return; // a dead engine takes nothing in
            }
            inner.accept(s, offset, length);
            samples += length;
            if (samples >= failAfterSamples && failedOnce.compareAndSet(false, true)) {
                dead = true;
                inner.abort();
                Thread.ofPlatform().start(() -> {
                    out.onError(new RecognizerException("engine_failed", "injected: the engine crashed"));
                    out.onEnd();
                });
            }
        }

        @Override
        public double backlogSeconds() {
            return dead ? 0 : inner.backlogSeconds();
        }

        @Override
        public void finish() {
            if (!dead) {
                inner.finish();
            }
        }

        @Override
        public void abort() {
            inner.abort();
        }

        @Override
        public void onPartial(Utterance partial) {
            if (!dead) {
                out.onPartial(partial);
            }
        }

        @Override
        public void onFinal(Utterance fin) {
            if (!dead) {
                out.onFinal(fin);
            }
        }

        @Override
        public void onError(RecognizerException error) {
            if (!dead) {
                out.onError(error);
            }
        }

        @Override
        public void onEnd() {
            if (!dead) {
                out.onEnd();
            }
        }
    }

    @Override
    public RecognizerStats stats() {
        return real.stats();
    }

    @Override
    public void close() {
        // the real engine belongs to the shared gateway
    }
}
