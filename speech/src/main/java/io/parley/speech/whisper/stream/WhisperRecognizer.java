package io.parley.speech.whisper.stream;

import io.parley.kernels.accel.Accelerator;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecognizerStats;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.whisper.ModelLocator;
import io.parley.speech.whisper.WhisperEngine;
import io.parley.speech.whisper.decode.Task;
import io.parley.speech.whisper.vad.SileroVad;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Whisper as a live {@link SpeechRecognizer}: one model shared by every stream, each stream
 * decoding its growing window as audio arrives (see {@link WhisperSession}).
 */
public final class WhisperRecognizer implements SpeechRecognizer {

    private static final Logger LOG = Logger.getLogger(WhisperRecognizer.class.getName());

    private final StreamingConfig config;
    private final WhisperEngine engine;
    private final SileroVad vad;
    private final ModelRunner runner;
    private final Set<WhisperSession> sessions = ConcurrentHashMap.newKeySet();
    private final DoubleAdder audioSeconds = new DoubleAdder();
    private final DoubleAdder computeSeconds = new DoubleAdder();
    private final PassStats passStats = new PassStats();
    /** Read and replaced under this recognizer's lock only. */
    private Admission capacity = new Admission();
    private final LongAdder refused = new LongAdder();
    private final LongAdder shedByEnded = new LongAdder();
    private volatile boolean closed;

    public WhisperRecognizer(StreamingConfig config, WhisperEngine engine, SileroVad vad) {
        this.config = config;
        this.engine = engine;
        this.vad = vad;
        this.runner = new ModelRunner(engine.model(), ModelRunner.lanesFor(engine.model()));
    }

    /**
     * Admits streams up to this share of the model's time for finals, learning each stream's
     * share again from nothing. For tests that study something other than admission on a shared
     * recognizer: whether a newcomer is let in depends on how fast the host encodes.
     */
    synchronized void admitUpTo(double maxFinalUtilisation) {
        capacity = new Admission(maxFinalUtilisation);
    }

    /** Loads the configured model and Silero VAD. */
    public static WhisperRecognizer load(StreamingConfig config, Accelerator acc) {
        long t0 = System.nanoTime();
        try {
            WhisperEngine engine = WhisperEngine.load(ModelLocator.whisper(config.model()), acc, config.precision());
            SileroVad vad = SileroVad.load(ModelLocator.sileroVad());
            LOG.info(() -> String.format(Locale.ROOT, "Whisper %s (%s) loaded on %s in %.1f s", config.model(),
                    config.precision(), acc.name(), (System.nanoTime() - t0) / 1e9));
            return new WhisperRecognizer(config, engine, vad);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Whisper " + config.model() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String engine() {
        return "whisper-" + engine.name();
    }

    @Override
    public Set<String> languages() {
        return engine.multilingual() ? engine.tokenizer().languages().keySet() : Set.of("en");
    }

    @Override
    public boolean identifiesLanguage() {
        return engine.multilingual();
    }

    @Override
    public boolean translatesToEnglish() {
        return engine.multilingual();
    }

    @Override
    public RecognizerSession open(SessionOptions options, RecognitionListener listener) {
        if (closed) {
            throw new RecognizerException("engine_unavailable", "the recognizer is shut down");
        }
        String language = options.language();
        if (!language.equals(SessionOptions.AUTO) && !languages().contains(language)) {
            throw new RecognizerException("unsupported_language", "Whisper " + engine.name()
                    + " does not recognise '" + language + "'");
        }
        for (String expected : options.expectedLanguages()) {
            if (!languages().contains(expected)) {
                throw new RecognizerException("unsupported_language", "Whisper " + engine.name()
                        + " does not recognise '" + expected + "' (in the expected languages)");
            }
        }
        if (options.task() == SessionOptions.Task.TRANSLATE && !engine.multilingual()) {
            throw new RecognizerException("unsupported_task", "Whisper " + engine.name() + " is English-only and cannot translate");
        }
        synchronized (this) {
            if (sessions.size() >= config.maxSessions()) {
                throw new RecognizerException("recognizer_busy",
                        "all " + config.maxSessions() + " recognition streams are in use; try again later");
            }
            double encoding = runner.fullWindowEncodeSeconds();
            if (encoding > 0) {
                capacity.encodingMeasured(encoding);
            }
            long settledBefore = System.nanoTime() - ModelRunner.FINALS_WINDOW_NANOS;
            int settled = (int) sessions.stream().filter(s -> s.openedAt() <= settledBefore).count();
            String full = capacity.refusal(settled, sessions.size() - settled, runner.finalUtilisation(),
                    sessions.stream().mapToDouble(WhisperSession::backlogSeconds).max().orElse(0));
            if (full != null) {
                refused.increment();
                throw new RecognizerException("capacity_reached", full);
            }
            Task task = options.task() == SessionOptions.Task.TRANSLATE ? Task.TRANSLATE : Task.TRANSCRIBE;
            String fixed = language.equals(SessionOptions.AUTO) ? null : language;
            if (!engine.multilingual()) {
                fixed = "en";
            }
            WhisperSession s = new WhisperSession(this, engine, runner, vad.newStream(), config, fixed, task,
                    options.streamId(), options.hints(), options.englishFromSpeech(),
                    engine.multilingual() ? options.expectedLanguages() : List.of(), listener);
            sessions.add(s);
            s.start();
            return s;
        }
    }

    void ended(WhisperSession s) {
        shedByEnded.add(s.partialsShed());
        sessions.remove(s);
    }

    void progress(double audio, double compute) {
        audioSeconds.add(audio);
        computeSeconds.add(compute);
    }

    public WhisperEngine whisper() {
        return engine;
    }

    public StreamingConfig config() {
        return config;
    }

    /** Sequences per batched decoder step and windows per batched encoding, on average: how much streams share. */
    public double[] batching() {
        return new double[]{runner.meanStepBatch(), runner.meanEncodeBatch()};
    }

    /** The shared model's busy fraction over the last seconds, and the part of it spent on final passes. */
    public double[] modelUtilisation() {
        return new double[]{runner.utilisation(), runner.finalUtilisation()};
    }

    /** Passes over windows by kind, and their time, since the recognizer was loaded. */
    public PassStats passStats() {
        return passStats;
    }

    @Override
    public RecognizerStats stats() {
        double backlog = sessions.stream().mapToDouble(WhisperSession::backlogSeconds).sum();
        long shed = shedByEnded.sum() + sessions.stream().mapToLong(WhisperSession::partialsShed).sum();
        return new RecognizerStats(audioSeconds.sum(), computeSeconds.sum(), sessions.size(), backlog, shed,
                refused.sum());
    }

    @Override
    public void close() {
        closed = true;
        sessions.forEach(WhisperSession::abort);
        runner.close();
        vad.close();
        engine.close();
    }
}
