package io.parley.speech.whisper.stream;

import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.Utterance;
import io.parley.speech.whisper.WhisperEngine;
import io.parley.speech.whisper.align.WordAligner;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.LanguageChoice;
import io.parley.speech.whisper.decode.Segment;
import io.parley.speech.whisper.decode.Segmenter;
import io.parley.speech.whisper.decode.Task;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.decode.WordTiming;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.vad.SileroVad;
import io.parley.speech.whisper.vad.SpeechDetector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One live stream through Whisper, kept apart the way sherpa-onnx keeps recognizer, stream and
 * endpoint apart. Audio is queued by {@link #accept} and handled on the session's own thread:
 * <ol>
 *   <li>Silero VAD marks speech; silence is never decoded, and while there is no speech the
 *       {@link UtteranceWindow} keeps only a short pre-roll.</li>
 *   <li>During speech the {@link EndpointPolicy} says when the window is decoded again (every
 *       {@code stepMs}, stretched while the model is busy, shed while the stream is behind);
 *       the {@link AgreementPolicy} settles words of successive hypotheses, and the partial shows
 *       the settled words followed by the unsettled tail.</li>
 *   <li>At an endpoint (a pause as long as the VAD's {@code minSilenceMs}) a final pass decodes
 *       the utterance once more and its text is the final. The pass is started early, once the
 *       pause reaches the VAD's padding, so that the final is ready when the pause is confirmed;
 *       if speech resumes instead, its result serves as a partial.</li>
 *   <li>A window that grows past {@code maxWindowSeconds} without a pause is closed at its last
 *       complete segment: those segments become a final and the window restarts there.</li>
 *   <li>Finals prompt later windows with their text (Whisper's previous-text prompt); the language,
 *       when not given, is identified by every pass among the expected ones and kept until the
 *       evidence changes; the final pass, on the whole utterance, has the last word.</li>
 * </ol>
 * The passes themselves ({@link WindowPasses}) go through the shared {@link ModelRunner}, where
 * they are batched with other streams' passes and finals go first.
 */
final class WhisperSession implements RecognizerSession {

    private static final Logger LOG = Logger.getLogger(WhisperSession.class.getName());
    private static final int RATE = WhisperEngine.SAMPLE_RATE;
    private static final float[] END = new float[0];
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final WhisperRecognizer owner;
    private final ModelRunner runner;
    private final SileroVad.Stream vad;
    private final SpeechDetector detector;
    private final StreamingConfig config;
    private final String fixedLanguage;
    private final Task task;
    private final RecognitionListener listener;
    private final ModelRunner.Account account = new ModelRunner.Account();
    private final WindowPasses passes;
    private final BlockingQueue<float[]> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Thread thread;
    private final long openedAt = System.nanoTime();
    private volatile boolean finishing;
    private volatile boolean aborted;

    private final UtteranceWindow window = new UtteranceWindow(RATE * 32);
    private final float[] chunk = new float[SileroVad.CHUNK];
    private int chunkFill;
    private final EndpointPolicy endpoint;
    private final AgreementPolicy agreement;
    /** How a language is picked when it is not given: among those expected, keeping the stream's. */
    private LanguageChoice languageChoice;

    private boolean inSpeech;
    private int utterance;
    /** The language of the utterance as the last pass heard it (given, or identified). */
    private String utteranceLanguage;

    private double reportedAudio;
    private double reportedCompute;
    private long cpuAtStart;

    WhisperSession(WhisperRecognizer owner, WhisperEngine engine, ModelRunner runner, SileroVad.Stream vad,
                   StreamingConfig config, String language, Task task, String streamId,
                   java.util.function.Supplier<List<String>> hints,
                   java.util.function.Predicate<String> englishFromSpeech, List<String> expectedLanguages,
                   RecognitionListener listener) {
        this.owner = owner;
        this.runner = runner;
        this.vad = vad;
        this.detector = new SpeechDetector(config.vad());
        this.config = config;
        this.fixedLanguage = language;
        this.task = task;
        this.listener = listener;
        this.passes = new WindowPasses(engine, runner, account, config, task, hints, englishFromSpeech, owner.passStats());
        this.endpoint = new EndpointPolicy(config, RATE);
        this.agreement = AgreementPolicy.of(config.agreement());
        this.languageChoice = LanguageChoice.among(expectedLanguages);
        this.thread = Thread.ofPlatform().name("whisper-" + streamId).daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    // ---- the caller's side ----

    @Override
    public void accept(float[] samples, int offset, int length) {
        if (finishing || aborted) {
            throw new IllegalStateException("the session has ended");
        }
        if (length == 0) {
            return;
        }
        double behind = (queued.get() + length) / (double) RATE;
        if (behind > config.maxBacklogSeconds()) {
            throw new RecognizerException("recognizer_overloaded", String.format(java.util.Locale.ROOT,
                    "speech recognition is %.0f s behind this stream; audio is refused until it catches up", behind));
        }
        queued.addAndGet(length);
        inbox.add(Arrays.copyOfRange(samples, offset, offset + length));
    }

    @Override
    public double backlogSeconds() {
        return queued.get() / (double) RATE;
    }

    @Override
    public void finish() {
        if (!finishing && !aborted) {
            finishing = true;
            inbox.add(END);
        }
    }

    @Override
    public void abort() {
        if (!aborted) {
            aborted = true;
            inbox.clear();
            queued.set(0);
            inbox.add(END);
        }
    }

    /** Audio recognised so far and the time spent on it (this thread's CPU and its share of the model's passes). */
    double audioSeconds() {
        return window.position() / (double) RATE;
    }

    /** When the stream was opened (System.nanoTime()). */
    long openedAt() {
        return openedAt;
    }

    /** Partials this stream shed because it was behind its audio. */
    long partialsShed() {
        return endpoint.shed();
    }

    double computeSeconds() {
        return (CPU.getThreadCpuTime(thread.threadId()) - cpuAtStart) / 1e9 + account.seconds();
    }

    // ---- the session's thread ----

    private void run() {
        cpuAtStart = CPU.getCurrentThreadCpuTime();
        try {
            while (!aborted) {
                float[] audio = inbox.take();
                if (audio == END) {
                    if (!aborted) {
                        endOfStream();
                    }
                    break;
                }
                queued.addAndGet(-audio.length);
                consume(audio);
                if (inbox.isEmpty()) {
                    decodeIfDue(); // passes only when caught up: late partials are worth nothing
                }
                report();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RecognizerException e) {
            if (!aborted) {
                listener.onError(e);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Whisper session failed", e);
            if (!aborted) {
                listener.onError(new RecognizerException("engine_failed", "speech recognition failed: " + e, e));
            }
        } finally {
            report();
            owner.ended(this);
            listener.onEnd();
        }
    }

    private void report() {
        double audio = audioSeconds();
        double compute = (CPU.getCurrentThreadCpuTime() - cpuAtStart) / 1e9 + account.seconds();
        owner.progress(audio - reportedAudio, compute - reportedCompute);
        reportedAudio = audio;
        reportedCompute = compute;
    }

    private void consume(float[] audio) {
        int i = 0;
        while (i < audio.length) {
            int n = Math.min(audio.length - i, chunk.length - chunkFill);
            System.arraycopy(audio, i, chunk, chunkFill, n);
            window.append(audio, i, n);
            chunkFill += n;
            i += n;
            if (chunkFill == chunk.length) {
                chunkFill = 0;
                float p = vad.probability(chunk, 0);
                onVad(detector.update(p, window.position() - chunk.length, chunk.length));
            }
        }
    }

    private void onVad(SpeechDetector.Event event) {
        switch (event) {
            case SPEECH_STARTED -> {
                inSpeech = true;
                long start = Math.max(window.start(), detector.speechStart());
                window.trimTo(start);
                endpoint.startUtterance(start, window.position());
                utteranceLanguage = fixedLanguage;
                agreement.reset(start / (double) RATE);
                dropSpeculative();
            }
            case SPEECH_ENDED -> closeUtterance(detector.speechEnd());
            case NONE -> {
                if (!inSpeech) {
                    // Keep only what a speech start may reach back to: its padding and the speech
                    // that confirms it.
                    long preRoll = (config.vad().speechPadMs() + config.vad().minSpeechMs()) * (long) RATE / 1000
                            + 2L * SileroVad.CHUNK;
                    window.trimTo(window.position() - preRoll);
                } else if (window.length() > config.maxWindowSeconds() * RATE) {
                    closeAtSegment();
                } else if (endpoint.speculating() && detector.trailingSilence(window.position()) == 0) {
                    // Speech resumed: the early final pass was only a partial after all.
                    WindowPass p = endpoint.drop();
                    owner.passStats().reclassifyAsWasted(p.phases());
                    showPartial(p);
                }
            }
        }
    }

    private void decodeIfDue() {
        if (!inSpeech) {
            return;
        }
        long position = window.position();
        long silence = detector.trailingSilence(position);
        switch (endpoint.next(position, silence, backlogSeconds(), runner.utilisation())) {
            case WAIT -> { }
            case PARTIAL -> partial();
            case SPECULATIVE_FINAL -> {
                long speechEnd = endpoint.speechEnd(position, silence);
                endpoint.speculated(speechEnd, finalPass(speechEnd));
            }
        }
    }

    /** A partial pass over the window so far, given up if it waits too long behind other streams' finals. */
    private void partial() {
        account.shedAt(endpoint.partialDeadline(System.nanoTime(), backlogSeconds()));
        WindowPass p;
        try {
            p = passes.pass(window, window.length(), false, language(), spoken(agreement.committed()),
                    spoken(agreement.pending()));
        } catch (PartialShed e) {
            endpoint.shedWhileWaiting();
            return;
        } finally {
            account.shedAt(ModelRunner.Account.NEVER);
        }
        showPartial(p);
    }

    private void showPartial(WindowPass p) {
        if (p.language() != null && fixedLanguage == null) {
            utteranceLanguage = p.language();
        }
        if (p.silent()) {
            return;
        }
        agreement.insert(p.words(), window.position() / (double) RATE);
        List<TimedWord> words = new ArrayList<>(agreement.committed());
        words.addAll(agreement.pending());
        if (words.isEmpty()) {
            return;
        }
        endpoint.showedWords();
        listener.onPartial(utteranceOf(words, text(words), agreement.committed().size()));
    }

    /** The pause that ends the utterance began at {@code speechEnd}. */
    private void closeUtterance(long speechEnd) {
        WindowPass fin = endpoint.takeFinal(speechEnd);
        if (fin == null) {
            fin = finalPass(speechEnd);
        }
        dropSpeculative();
        emitFinal(fin.segments(), fin.language(), fin.english());
        inSpeech = false;
        window.trimTo(speechEnd);
    }

    /** The end of the stream: whatever speech is open is final now, even if cut mid-word. */
    private void endOfStream() {
        if (inSpeech) {
            WindowPass fin = passes.pass(window, window.length(), true, language(), "", heard());
            dropSpeculative();
            emitFinal(fin.segments(), fin.language(), fin.english());
            inSpeech = false;
        }
    }

    /**
     * The window outgrew {@code maxWindowSeconds} with no pause: its complete segments (all but
     * the last, which may still be growing) become a final, and the window restarts after them.
     */
    private void closeAtSegment() {
        WindowPass p = passes.pass(window, window.length(), true, language(), "", heard());
        dropSpeculative();
        List<Segment> segments = p.segments();
        List<Segment> closed = segments.size() >= 2 ? segments.subList(0, segments.size() - 1) : segments;
        long position = window.position();
        double cut = closed.isEmpty() ? position / (double) RATE : closed.getLast().end();
        if (!closed.isEmpty() && !closed.getLast().words().isEmpty()) {
            cut = Math.max(cut, closed.getLast().words().getLast().end());
        }
        // The English of the whole window covers the open last segment too: not this final's.
        emitFinal(closed, p.language(), closed.size() == segments.size() ? p.english() : null);
        window.trimTo(Math.clamp(Math.round(cut * RATE), window.start() + 1, position));
        endpoint.startUtterance(window.start(), position);
        agreement.reset(window.start() / (double) RATE);
    }

    private WindowPass finalPass(long speechEnd) {
        // The utterance with a little of the pause after it, as VAD-padded speech is elsewhere.
        long end = Math.min(window.position(), speechEnd + config.vad().speechPadMs() * (long) RATE / 1000);
        return passes.pass(window, window.lengthUpTo(end), true, language(), "", heard());
    }

    /** The utterance as the last partial heard it: the final's draft. */
    private String heard() {
        return spoken(agreement.committed()) + spoken(agreement.pending());
    }

    /** Forgets the speculative final pass; if there was one, its final was never used. */
    private void dropSpeculative() {
        WindowPass p = endpoint.drop();
        if (p != null) {
            owner.passStats().reclassifyAsWasted(p.phases());
        }
    }

    private void emitFinal(List<Segment> segments, String language, String english) {
        List<TimedWord> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Segment s : segments) {
            text.append(s.text());
            for (WordTiming w : s.words()) {
                words.add(TimedWord.of(w));
            }
        }
        String finalText = text.toString().strip();
        // The final pass heard the whole utterance: its language stands over the partials' guesses.
        if (language != null && fixedLanguage == null) {
            utteranceLanguage = language;
        }
        // A partial shown and a final without words: the empty final clears the partial.
        if (!finalText.isEmpty() || endpoint.wordsShown()) {
            Utterance u = utteranceOf(words, finalText, words.size());
            if (words.isEmpty() && !segments.isEmpty()) {
                u = new Utterance(utterance, finalText, u.language(), segments.getFirst().start(),
                        segments.getLast().end(), List.of(), 0);
            }
            listener.onFinal(english == null || finalText.isEmpty() ? u : u.withEnglish(english));
            utterance++;
        }
        if (!finalText.isEmpty() && fixedLanguage == null && task == Task.TRANSCRIBE) {
            languageChoice = languageChoice.from(captionLanguage()); // kept until the evidence changes
        }
        passes.remember(segments, captionLanguage());
        agreement.reset(window.position() / (double) RATE);
    }

    private WindowPasses.Language language() {
        return new WindowPasses.Language(fixedLanguage, languageChoice, utteranceLanguage);
    }

    private String captionLanguage() {
        if (task == Task.TRANSLATE) {
            return "en";
        }
        if (utteranceLanguage != null) {
            return utteranceLanguage;
        }
        return fixedLanguage != null ? fixedLanguage : "en";
    }

    private Utterance utteranceOf(List<TimedWord> words, String text, int stable) {
        List<RecognizedWord> recognized = words.stream().map(TimedWord::recognized).toList();
        double start = words.isEmpty() ? endpoint.utteranceStart() / (double) RATE : words.getFirst().start();
        double end = words.isEmpty() ? window.position() / (double) RATE : words.getLast().end();
        return new Utterance(utterance, text, captionLanguage(), start, end, recognized, stable);
    }

    /** The words as decoded, each with its leading space: the tokens Whisper would give them. */
    private static String spoken(List<TimedWord> words) {
        StringBuilder sb = new StringBuilder();
        words.forEach(w -> sb.append(w.text()));
        return sb.toString();
    }

    private static String text(List<TimedWord> words) {
        return spoken(words).strip();
    }
}
