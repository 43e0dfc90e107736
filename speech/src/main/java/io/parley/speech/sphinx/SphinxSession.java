package io.parley.speech.sphinx;

import edu.cmu.sphinx.linguist.dictionary.Word;
import edu.cmu.sphinx.result.Edge;
import edu.cmu.sphinx.result.Lattice;
import edu.cmu.sphinx.result.LatticeOptimizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One stream on one Sphinx4 decoder. The decoder pulls audio on a thread of its own; Sphinx4's
 * front end finds the endpoints (speech start, and {@link SphinxConfig#endSilenceMs()} of
 * silence for the end), and each utterance ends in a final.
 */
final class SphinxSession implements RecognizerSession {

    private static final Logger LOG = Logger.getLogger(SphinxSession.class.getName());
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final double BYTES_PER_SECOND = 16000 * 2;

    private final SphinxRecognizer owner;
    private final SphinxConfig config;
    private final SessionOptions options;
    private final RecognitionListener listener;
    private final PcmQueueInputStream input = new PcmQueueInputStream();
    private volatile boolean finished;
    private volatile boolean aborted;

    // Touched only by the decoding thread.
    private int utteranceIndex;
    private String lastPartial = "";
    private double reportedAudio;
    private double reportedCompute;

    SphinxSession(SphinxRecognizer owner, SphinxConfig config, SessionOptions options, RecognitionListener listener) {
        this.owner = owner;
        this.config = config;
        this.options = options;
        this.listener = listener;
    }

    void start() {
        Thread.ofPlatform().daemon().name("sphinx4-" + options.streamId()).start(this::run);
    }

    @Override
    public void accept(float[] samples, int offset, int length) {
        if (finished || aborted) {
            throw new IllegalStateException("the session has ended");
        }
        double backlog = backlogSeconds() + length / 16000.0;
        if (backlog > config.maxBacklogSeconds()) {
            throw new RecognizerException("recognizer_overloaded", String.format(
                    "the recognizer is %.1f s behind (limit %.0f s); audio is arriving faster than it can be recognised",
                    backlogSeconds(), config.maxBacklogSeconds()));
        }
        byte[] pcm = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            float v = Math.max(-1f, Math.min(1f, samples[offset + i]));
            int s = Math.round(v * 32767f);
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        input.offer(pcm);
    }

    @Override
    public double backlogSeconds() {
        return input.queuedBytes() / BYTES_PER_SECOND;
    }

    @Override
    public void finish() {
        finished = true;
        input.close();
    }

    @Override
    public void abort() {
        aborted = true;
        input.abort();
    }

    private void run() {
        SphinxDecoder decoder = null;
        boolean reusable = false;
        try {
            decoder = owner.acquire();
            decoder.attach(input, this::onPartialResult);
            Result result;
            while ((result = decoder.nextUtterance()) != null) {
                if (!aborted) {
                    emitFinal(result);
                }
                reportProgress();
            }
            reusable = true;
        } catch (Throwable t) {
            if (!aborted) {
                LOG.log(Level.WARNING, "Sphinx4 failed on stream " + options.streamId(), t);
                RecognizerException failure = new RecognizerException("engine_failed",
                        "the speech recognizer failed: " + t, t);
                deliver(() -> listener.onError(failure));
            }
        } finally {
            input.abort();
            if (decoder != null) {
                decoder.detach();
                owner.release(decoder, reusable);
            }
            reportProgress();
            owner.sessionEnded(this);
            deliver(listener::onEnd);
        }
    }

    private void reportProgress() {
        double audio = input.consumedBytes() / BYTES_PER_SECOND;
        double compute = THREADS.getCurrentThreadCpuTime() / 1e9;
        owner.progress(audio - reportedAudio, compute - reportedCompute);
        reportedAudio = audio;
        reportedCompute = compute;
    }

    private void onPartialResult(Result result) {
        if (aborted) {
            return;
        }
        List<RecognizedWord> words = timedWords(result);
        String text = join(words);
        if (text.isEmpty() || text.equals(lastPartial)) {
            return;
        }
        lastPartial = text;
        Utterance partial = new Utterance(utteranceIndex, text, "en", words.getFirst().start(), words.getLast().end(), words);
        deliver(() -> listener.onPartial(partial));
    }

    /**
     * Hands a result to the listener. A listener that throws is a bug on its side; it is logged,
     * and recognition of the stream goes on rather than dying with it.
     */
    private void deliver(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the listener of stream " + options.streamId() + " failed on a result", e);
        }
    }

    private void emitFinal(Result result) {
        List<RecognizedWord> words = latticeWords(result);
        String text = join(words);
        if (text.isEmpty() && lastPartial.isEmpty()) {
            return; // noise that never produced a word: no utterance at all
        }
        double start = words.isEmpty() ? 0 : words.getFirst().start();
        double end = words.isEmpty() ? 0 : words.getLast().end();
        Utterance fin = new Utterance(utteranceIndex, text, "en", start, end, words);
        deliver(() -> listener.onFinal(fin));
        utteranceIndex++;
        lastPartial = "";
    }

    /** Words of the best path so far, with times but no confidence (the lattice is built at the end). */
    private static List<RecognizedWord> timedWords(Result result) {
        List<RecognizedWord> words = new ArrayList<>();
        for (WordResult w : result.getTimedBestResult(false)) {
            if (isSpoken(w.getWord())) {
                words.add(new RecognizedWord(w.getWord().getSpelling(),
                        w.getTimeFrame().getStart() / 1000.0, w.getTimeFrame().getEnd() / 1000.0, Double.NaN));
            }
        }
        return words;
    }

    /**
     * Words of the final hypothesis with posterior probabilities from the word lattice. Falls
     * back to the best path without confidences if the lattice cannot be built.
     */
    private List<RecognizedWord> latticeWords(Result result) {
        try {
            Lattice lattice = new Lattice(result);
            new LatticeOptimizer(lattice).optimize();
            // The search weights the language model by languageWeight against raw acoustic
            // log-likelihoods; posteriors over those scores are nearly all 0 or 1. Scaling every
            // edge by 1/languageWeight (the usual acoustic scale) gives posteriors that spread
            // over the competing words, and leaves the best path unchanged.
            float scale = (float) (1.0 / config.languageWeight());
            for (Edge edge : lattice.getEdges()) {
                edge.setAcousticScore(edge.getAcousticScore() * scale);
                edge.setLMScore(edge.getLMScore() * scale);
            }
            lattice.computeNodePosteriors(1.0f);
            LogMath logMath = LogMath.getLogMath();
            List<RecognizedWord> words = new ArrayList<>();
            for (WordResult w : lattice.getWordResultPath()) {
                if (isSpoken(w.getWord())) {
                    double p = logMath.logToLinear((float) w.getConfidence());
                    words.add(new RecognizedWord(w.getWord().getSpelling(),
                            w.getTimeFrame().getStart() / 1000.0, w.getTimeFrame().getEnd() / 1000.0,
                            Math.max(0, Math.min(1, p))));
                }
            }
            return words;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no lattice for this utterance; words have no confidence", e);
            return timedWords(result);
        }
    }

    private static boolean isSpoken(Word w) {
        return !w.isFiller() && !w.isSentenceStartWord() && !w.isSentenceEndWord();
    }

    private static String join(List<RecognizedWord> words) {
        StringBuilder sb = new StringBuilder();
        for (RecognizedWord w : words) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(w.word());
        }
        return sb.toString();
    }
}
