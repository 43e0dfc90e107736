package io.parley.gateway.ingest;

import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.recognizer.Utterance;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A speaker's recognizer session that outlives a failure of its engine. It keeps the audio since
 * the last final; when the engine fails mid-stream, a new session is opened and given that audio
 * again, so the utterance under way still ends in a final and no final is lost. Results of the
 * new session are moved onto the stream's time line and utterance numbering, so viewers see the
 * same segment continue. A stream whose engine keeps failing (more than {@link #MAX_RESTARTS} in
 * {@link #RESTART_WINDOW_NANOS}) is given up, with the engine's error.
 */
final class RestartingSession implements RecognizerSession {

    private static final Logger LOG = Logger.getLogger(RestartingSession.class.getName());
    static final int RATE = 16000;
    static final int MAX_RESTARTS = 3;
    static final long RESTART_WINDOW_NANOS = 60_000_000_000L;

    private final SpeechRecognizer recognizer;
    private final SessionOptions options;
    private final RecognitionListener downstream;
    private final AudioSinceFinal audio;

    // Guarded by this.
    private Generation current;
    private boolean finishing;
    private boolean aborted;
    private final List<Long> restarts = new ArrayList<>();
    /** Stream utterance index that the next utterance of any session gets. */
    private int nextIndex;

    private final Runnable onRestart;

    private RestartingSession(SpeechRecognizer recognizer, SessionOptions options, RecognitionListener downstream,
                              double maxBufferSeconds, Runnable onRestart) {
        this.onRestart = onRestart;
        this.recognizer = recognizer;
        this.options = options;
        this.downstream = downstream;
        this.audio = new AudioSinceFinal(RATE, maxBufferSeconds);
    }

    /** Opens the first session; fails like {@link SpeechRecognizer#open}. */
    static RestartingSession open(SpeechRecognizer recognizer, SessionOptions options, RecognitionListener downstream,
                                  double maxBufferSeconds, Runnable onRestart) {
        RestartingSession s = new RestartingSession(recognizer, options, downstream, maxBufferSeconds, onRestart);
        synchronized (s) {
            s.current = s.new Generation(0, 0);
            s.current.session = recognizer.open(options, s.current);
        }
        return s;
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        RecognizerSession target;
        synchronized (this) {
            if (finishing || aborted) {
                throw new IllegalStateException("the session has ended");
            }
            target = current.session;
            // Only what the session takes is kept: refused audio is refused for good.
            target.accept(samples, offset, length);
            audio.append(samples, offset, length);
        }
    }

    @Override
    public synchronized double backlogSeconds() {
        return current.session.backlogSeconds();
    }

    @Override
    public synchronized void finish() {
        if (!finishing && !aborted) {
            finishing = true;
            current.session.finish();
        }
    }

    @Override
    public synchronized void abort() {
        if (!aborted) {
            aborted = true;
            current.session.abort();
        }
    }

    /** Restarts since the stream began: for tests and logs. */
    synchronized int restarts() {
        return restarts.size();
    }

    private enum Outcome { RESTARTED, STALE, GIVEN_UP }

    /** The engine failed: open a new session and feed it the audio since the last final. */
    private synchronized Outcome restart(Generation failed, RecognizerException error) {
        if (failed != current) {
            return Outcome.STALE; // an old generation's echo
        }
        if (aborted) {
            return Outcome.GIVEN_UP;
        }
        long now = System.nanoTime();
        restarts.removeIf(t -> now - t > RESTART_WINDOW_NANOS);
        if (restarts.size() >= MAX_RESTARTS) {
            LOG.warning(() -> "stream " + options.streamId() + ": the recognizer failed " + (MAX_RESTARTS + 1)
                    + " times within a minute; giving up: " + error.getMessage());
            return Outcome.GIVEN_UP;
        }
        restarts.add(now);
        Generation next = new Generation(audio.startSeconds(), nextIndex);
        try {
            next.session = recognizer.open(options, next);
        } catch (RecognizerException e) {
            LOG.log(Level.WARNING, "stream " + options.streamId() + ": the recognizer could not be reopened", e);
            return Outcome.GIVEN_UP;
        }
        current = next;
        onRestart.run();
        float[] again = audio.samples();
        LOG.warning(() -> String.format(java.util.Locale.ROOT, "stream %s: the recognizer failed (%s); restarted it"
                + " with the %.1f s of audio since the last final", options.streamId(), error.getMessage(), again.length / (double) RATE));
        if (again.length > 0) {
            try {
                next.session.accept(again, 0, again.length);
            } catch (RecognizerException e) {
                LOG.log(Level.WARNING, "stream " + options.streamId() + ": the restarted recognizer refused the audio again", e);
            }
        }
        if (finishing) {
            next.session.finish();
        }
        return Outcome.RESTARTED;
    }

    /**
     * One engine session's results, moved onto the stream's time line ({@code offset}: where this
     * session's audio starts) and numbering ({@code indexBase}: the stream's index of its first
     * utterance). Results from a generation that is no longer current are dropped.
     */
    private final class Generation implements RecognitionListener {
        final double offset;
        final int indexBase;
        RecognizerSession session;

        Generation(double offset, int indexBase) {
            this.offset = offset;
            this.indexBase = indexBase;
        }

        private boolean live() {
            synchronized (RestartingSession.this) {
                return current == this;
            }
        }

        private Utterance shifted(Utterance u) {
            if (offset == 0 && indexBase == 0) {
                return u;
            }
            List<RecognizedWord> words = u.words().stream()
                    .map(w -> new RecognizedWord(w.word(), w.start() + offset, w.end() + offset, w.confidence())).toList();
            return new Utterance(u.index() + indexBase, u.text(), u.language(), u.start() + offset, u.end() + offset,
                    words, u.stableWords(), u.english());
        }

        @Override
        public void onPartial(Utterance partial) {
            if (live()) {
                downstream.onPartial(shifted(partial));
            }
        }

        @Override
        public void onFinal(Utterance fin) {
            if (!live()) {
                return;
            }
            Utterance u = shifted(fin);
            synchronized (RestartingSession.this) {
                nextIndex = u.index() + 1;
                audio.dropBefore(u.end());
            }
            downstream.onFinal(u);
        }

        @Override
        public void onError(RecognizerException error) {
            boolean tell;
            synchronized (RestartingSession.this) {
                tell = restart(this, error) == Outcome.GIVEN_UP && !aborted;
            }
            if (tell) {
                downstream.onError(error); // given up: this generation's end is the stream's end
            }
        }

        @Override
        public void onEnd() {
            if (live()) {
                downstream.onEnd(); // a replaced generation's end is not the stream's
            }
        }
    }
}
