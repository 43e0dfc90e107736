package io.parley.speech.sphinx;

import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecognizerStats;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.logging.Logger;

/**
 * English speech recognition by CMU Sphinx4, with the model that ships inside the
 * {@code sphinx4-data} jar: it needs no download. Each stream holds one decoder; idle
 * decoders are kept for the next stream, and new ones are loaded on demand up to
 * {@link SphinxConfig#maxSessions()}.
 */
public final class SphinxRecognizer implements SpeechRecognizer {

    private static final Logger LOG = Logger.getLogger(SphinxRecognizer.class.getName());

    private final SphinxConfig config;
    private final ArrayDeque<SphinxDecoder> idle = new ArrayDeque<>();
    private final AtomicInteger active = new AtomicInteger();
    private final Set<SphinxSession> sessions = ConcurrentHashMap.newKeySet();
    private final DoubleAdder audioSeconds = new DoubleAdder();
    private final DoubleAdder computeSeconds = new DoubleAdder();
    private int loaded;
    private boolean closed;

    public SphinxRecognizer(SphinxConfig config) {
        this.config = config;
        for (int i = 0; i < config.preloadedDecoders(); i++) {
            long t0 = System.nanoTime();
            idle.add(SphinxDecoder.load(config));
            loaded++;
            LOG.info(() -> String.format("Sphinx4 decoder %d/%d loaded in %.1f s",
                    loaded, config.preloadedDecoders(), (System.nanoTime() - t0) / 1e9));
        }
    }

    @Override
    public String engine() {
        return "sphinx4";
    }

    @Override
    public Set<String> languages() {
        return Set.of("en");
    }

    @Override
    public boolean identifiesLanguage() {
        return false;
    }

    @Override
    public RecognizerSession open(SessionOptions options, RecognitionListener listener) {
        String language = options.language();
        if (!language.equals("en") && !language.equals(SessionOptions.AUTO)) {
            throw new RecognizerException("unsupported_language",
                    "the sphinx4 engine recognises English only (\"en\"), not \"" + language + "\"");
        }
        synchronized (this) {
            if (closed) {
                throw new RecognizerException("engine_unavailable", "the recognizer is shut down");
            }
            if (active.get() >= config.maxSessions()) {
                throw new RecognizerException("recognizer_busy",
                        "all " + config.maxSessions() + " recognition streams are in use; try again later");
            }
            active.incrementAndGet();
        }
        SphinxSession session = new SphinxSession(this, config, options, listener);
        sessions.add(session);
        session.start();
        return session;
    }

    /** Takes an idle decoder or loads a new one (seconds); called on the session's thread. */
    SphinxDecoder acquire() {
        synchronized (this) {
            SphinxDecoder d = idle.pollFirst();
            if (d != null) {
                return d;
            }
            loaded++;
        }
        long t0 = System.nanoTime();
        SphinxDecoder d = SphinxDecoder.load(config);
        LOG.info(() -> String.format("Sphinx4 decoder loaded on demand in %.1f s", (System.nanoTime() - t0) / 1e9));
        return d;
    }

    void release(SphinxDecoder decoder, boolean reusable) {
        synchronized (this) {
            if (reusable && !closed) {
                idle.addFirst(decoder);
            } else {
                loaded--;
            }
        }
    }

    void sessionEnded(SphinxSession session) {
        sessions.remove(session);
        active.decrementAndGet();
    }

    void progress(double audio, double compute) {
        audioSeconds.add(audio);
        computeSeconds.add(compute);
    }

    @Override
    public RecognizerStats stats() {
        double backlog = sessions.stream().mapToDouble(SphinxSession::backlogSeconds).sum();
        return new RecognizerStats(audioSeconds.sum(), computeSeconds.sum(), active.get(), backlog);
    }

    @Override
    public synchronized void close() {
        closed = true;
        idle.clear();
    }
}
