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
 * One live stream through Whisper. Audio is queued by {@link #accept} and handled on the
 * session's own thread:
 * <ol>
 *   <li>Silero VAD marks speech; silence is never decoded, and while there is no speech only a
 *       short pre-roll of audio is kept.</li>
 *   <li>During speech the window (the utterance so far) is decoded again every
 *       {@code stepMs}; successive hypotheses are reconciled by {@link LocalAgreement}, and the
 *       partial shows the settled words followed by the unsettled tail.</li>
 *   <li>At an endpoint (a pause as long as the VAD's {@code minSilenceMs}) a final pass decodes
 *       the utterance once more and its text is the final. The pass is started early, once the
 *       pause reaches the VAD's padding, so that the final is ready when the pause is confirmed;
 *       if speech resumes instead, its result serves as a partial.</li>
 *   <li>A window that grows past {@code maxWindowSeconds} without a pause is closed at its last
 *       complete segment: those segments become a final and the window restarts there.</li>
 *   <li>Finals prompt later windows with their text (Whisper's previous-text prompt).</li>
 * </ol>
 * Whisper's no-speech probability, the compression-ratio test and a repetition guard keep it
 * from inventing text. Passes go through the shared {@link ModelRunner}, where they are
 * batched with other streams' passes.
 */
final class WhisperSession implements RecognizerSession {

    private static final Logger LOG = Logger.getLogger(WhisperSession.class.getName());
    private static final int RATE = WhisperEngine.SAMPLE_RATE;
    private static final float[] END = new float[0];
    /**
     * A shortened window ends in a second of silence. Cut right after the last word, Whisper
     * loops: on the dev clips a third of the partial passes ran to their token budget repeating
     * the utterance, while with the silence after it the hypotheses are those of the full
     * window but for a word or two (bench/results/asr.json: shortened-context WER).
     */
    private static final int PARTIAL_TAIL_FRAMES = 100;
    private static final int PARTIAL_PROMPT_FROM_SECONDS = 3;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** What a pass over the window gave, and its wall time. */
    private record Pass(List<Segment> segments, List<TimedWord> words, String language, boolean silent, double seconds,
                        String english) {
        static Pass silent(String language) {
            return new Pass(List.of(), List.of(), language, true, 0, null);
        }

        Pass took(double s) {
            return new Pass(segments, words, language, silent, s, english);
        }
    }

    private final WhisperRecognizer owner;
    private final WhisperEngine engine;
    private final ModelRunner runner;
    private final SileroVad.Stream vad;
    private final SpeechDetector detector;
    private final StreamingConfig config;
    private final String fixedLanguage;
    private final Task task;
    private final RecognitionListener listener;
    private final java.util.function.Supplier<List<String>> hints;
    private final java.util.function.Predicate<String> englishFromSpeech;
    private final WindowDecoder decoder;
    private final ModelRunner.Account account = new ModelRunner.Account();
    private final BlockingQueue<float[]> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Random random = new Random(0);
    private final Thread thread;
    private volatile boolean finishing;
    private volatile boolean aborted;

    /** Samples {@code [windowStart, windowStart + windowLength)} of the stream. */
    private float[] window = new float[RATE * 32];
    private int windowLength;
    private long windowStart;
    private final float[] chunk = new float[SileroVad.CHUNK];
    private int chunkFill;
    private long position;

    private boolean inSpeech;
    private long utteranceStart;
    private long lastPass;
    private int utterance;
    private boolean partialShown;
    private String utteranceLanguage;
    private final LocalAgreement agreement = new LocalAgreement();
    private final List<Integer> history = new ArrayList<>();
    private String historyLanguage;
    /** A final pass started at the beginning of a pause, and the pause's first sample. */
    private Pass speculative;
    private long speculativeSpeechEnd = -1;

    private double reportedAudio;
    private double reportedCompute;
    private long cpuAtStart;

    WhisperSession(WhisperRecognizer owner, WhisperEngine engine, ModelRunner runner, SileroVad.Stream vad,
                   StreamingConfig config, String language, Task task, String streamId,
                   java.util.function.Supplier<List<String>> hints,
                   java.util.function.Predicate<String> englishFromSpeech, RecognitionListener listener) {
        this.owner = owner;
        this.engine = engine;
        this.runner = runner;
        this.vad = vad;
        this.detector = new SpeechDetector(config.vad());
        this.config = config;
        this.fixedLanguage = language;
        this.task = task;
        this.listener = listener;
        this.hints = hints;
        this.englishFromSpeech = englishFromSpeech;
        this.decoder = engine.decoder().withSteps((states, tokens) -> runner.decode(states, tokens, account));
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
        return position / (double) RATE;
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
            append(audio, i, n);
            chunkFill += n;
            i += n;
            if (chunkFill == chunk.length) {
                chunkFill = 0;
                float p = vad.probability(chunk, 0);
                onVad(detector.update(p, position - chunk.length, chunk.length));
            }
        }
    }

    private void append(float[] audio, int offset, int n) {
        if (windowLength + n > window.length) {
            window = Arrays.copyOf(window, Math.max(window.length * 3 / 2, windowLength + n));
        }
        System.arraycopy(audio, offset, window, windowLength, n);
        windowLength += n;
        position += n;
    }

    private void onVad(SpeechDetector.Event event) {
        switch (event) {
            case SPEECH_STARTED -> {
                inSpeech = true;
                utteranceStart = Math.max(windowStart, detector.speechStart());
                trimWindowTo(utteranceStart);
                lastPass = position;
                partialShown = false;
                utteranceLanguage = fixedLanguage;
                agreement.reset(utteranceStart / (double) RATE);
                dropSpeculative();
            }
            case SPEECH_ENDED -> closeUtterance(detector.speechEnd());
            case NONE -> {
                if (!inSpeech) {
                    // Keep only what a speech start may reach back to: its padding and the speech
                    // that confirms it.
                    long preRoll = (config.vad().speechPadMs() + config.vad().minSpeechMs()) * (long) RATE / 1000
                            + 2L * SileroVad.CHUNK;
                    trimWindowTo(position - preRoll);
                } else if (windowLength > config.maxWindowSeconds() * RATE) {
                    closeAtSegment();
                } else if (speculative != null && detector.trailingSilence(position) == 0) {
                    // Speech resumed: the early final pass was only a partial after all.
                    Pass p = speculative;
                    dropSpeculative();
                    showPartial(p);
                }
            }
        }
    }

    private void decodeIfDue() {
        if (!inSpeech) {
            return;
        }
        long silence = detector.trailingSilence(position);
        long pad = config.vad().speechPadMs() * (long) RATE / 1000;
        if (silence > 0) {
            if (silence >= pad && speculative == null) {
                long speechEnd = position - silence;
                speculativeSpeechEnd = speechEnd;
                speculative = finalPass(speechEnd);
            }
            return;
        }
        if (position - lastPass >= config.stepMs() * (long) RATE / 1000
                && position - utteranceStart >= config.firstStepMs() * (long) RATE / 1000) {
            lastPass = position;
            showPartial(pass(windowLength, false));
        }
    }

    private void showPartial(Pass p) {
        if (p.language() != null && utteranceLanguage == null) {
            utteranceLanguage = p.language();
        }
        if (p.silent()) {
            return;
        }
        agreement.insert(p.words());
        List<TimedWord> words = new ArrayList<>(agreement.committed());
        words.addAll(agreement.pending());
        if (words.isEmpty()) {
            return;
        }
        partialShown = true;
        listener.onPartial(utteranceOf(words, text(words), agreement.committed().size()));
    }

    /** The pause that ends the utterance began at {@code speechEnd}. */
    private void closeUtterance(long speechEnd) {
        boolean reuse = speculative != null && speculativeSpeechEnd == speechEnd;
        Pass fin = reuse ? speculative : finalPass(speechEnd);
        if (reuse) {
            speculative = null;
        }
        dropSpeculative();
        emitFinal(fin.segments(), fin.language(), fin.english());
        inSpeech = false;
        trimWindowTo(speechEnd);
    }

    /** The end of the stream: whatever speech is open is final now, even if cut mid-word. */
    private void endOfStream() {
        if (inSpeech) {
            Pass fin = pass(windowLength, true);
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
        Pass p = pass(windowLength, true);
        dropSpeculative();
        List<Segment> segments = p.segments();
        List<Segment> closed = segments.size() >= 2 ? segments.subList(0, segments.size() - 1) : segments;
        double cut = closed.isEmpty() ? position / (double) RATE : closed.getLast().end();
        if (!closed.isEmpty() && !closed.getLast().words().isEmpty()) {
            cut = Math.max(cut, closed.getLast().words().getLast().end());
        }
        // The English of the whole window covers the open last segment too: not this final's.
        emitFinal(closed, p.language(), closed.size() == segments.size() ? p.english() : null);
        long cutSample = Math.clamp(Math.round(cut * RATE), windowStart + 1, position);
        trimWindowTo(cutSample);
        utteranceStart = windowStart;
        lastPass = position;
        partialShown = false;
        agreement.reset(windowStart / (double) RATE);
    }

    private Pass finalPass(long speechEnd) {
        // The utterance with a little of the pause after it, as VAD-padded speech is elsewhere.
        long end = Math.min(position, speechEnd + config.vad().speechPadMs() * (long) RATE / 1000);
        return pass((int) Math.max(0, end - windowStart), true);
    }

    /** Forgets the speculative final pass; if there was one, its final was never used. */
    private void dropSpeculative() {
        if (speculative != null) {
            owner.passStats().reclassifyAsWasted(speculative.seconds());
        }
        speculative = null;
        speculativeSpeechEnd = -1;
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
        if (language != null && utteranceLanguage == null) {
            utteranceLanguage = language;
        }
        if (!finalText.isEmpty() || partialShown) {
            Utterance u = utteranceOf(words, finalText, words.size());
            if (words.isEmpty() && !segments.isEmpty()) {
                u = new Utterance(utterance, finalText, u.language(), segments.getFirst().start(),
                        segments.getLast().end(), List.of(), 0);
            }
            listener.onFinal(english == null || finalText.isEmpty() ? u : u.withEnglish(english));
            utterance++;
        }
        remember(segments, captionLanguage());
        partialShown = false;
        agreement.reset(position / (double) RATE);
    }

    /**
     * The room's terms ahead of the previous text in the prompt, as a short list Whisper takes
     * for context: it then spells a product or a name the way the glossary does. Hints never
     * take more than half of the prompt's budget; the earlier text keeps the rest.
     */
    private int[] withHints(int[] previous) {
        List<String> terms = hints.get();
        if (terms.isEmpty() || config.promptTokens() == 0) {
            return previous;
        }
        int[] hintTokens = engine.tokenizer().encode(" " + String.join(", ", terms) + ".");
        int budget = config.promptTokens() / 2;
        if (hintTokens.length > budget) {
            hintTokens = Arrays.copyOf(hintTokens, budget);
        }
        int keep = Math.min(previous.length, config.promptTokens() - hintTokens.length);
        int[] out = Arrays.copyOf(hintTokens, hintTokens.length + keep);
        System.arraycopy(previous, previous.length - keep, out, hintTokens.length, keep);
        return out;
    }

    /** Finals become the prompt of later windows, up to {@code promptTokens}, in one language. */
    private void remember(List<Segment> segments, String language) {
        if (!language.equals(historyLanguage)) {
            history.clear();
            historyLanguage = language;
        }
        for (Segment s : segments) {
            for (int t : s.tokens()) {
                history.add(t);
            }
        }
        if (history.size() > config.promptTokens()) {
            history.subList(0, history.size() - config.promptTokens()).clear();
        }
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
        double start = words.isEmpty() ? utteranceStart / (double) RATE : words.getFirst().start();
        double end = words.isEmpty() ? position / (double) RATE : words.getLast().end();
        return new Utterance(utterance, text, captionLanguage(), start, end, recognized, stable);
    }

    private static String text(List<TimedWord> words) {
        StringBuilder sb = new StringBuilder();
        for (TimedWord w : words) {
            sb.append(w.text());
        }
        return sb.toString().strip();
    }

    private void trimWindowTo(long sample) {
        if (sample <= windowStart) {
            return;
        }
        int drop = (int) Math.min(windowLength, sample - windowStart);
        System.arraycopy(window, drop, window, 0, windowLength - drop);
        windowLength -= drop;
        windowStart += drop;
    }

    // ---- a pass over the window ----

    /**
     * Decodes the first {@code samples} of the window. A partial pass is cheap: the encoder on
     * the audio present (and a second of silence), greedy, one temperature, a tight token
     * budget. A final pass is the accurate one: Whisper's full window and temperature fallback.
     */
    private Pass pass(int samples, boolean isFinal) {
        long t0 = System.nanoTime();
        Pass p = decodeWindow(samples, isFinal);
        double seconds = (System.nanoTime() - t0) / 1e9;
        owner.passStats().add(isFinal ? PassStats.Kind.FINAL : PassStats.Kind.PARTIAL, seconds);
        return p.took(seconds);
    }

    private Pass decodeWindow(int samples, boolean isFinal) {
        if (samples < SileroVad.CHUNK) {
            return Pass.silent(utteranceLanguage);
        }
        float[] audio = Arrays.copyOf(window, samples);
        double offset = windowStart / (double) RATE;
        int content = samples / WhisperEngine.HOP;
        int frames = isFinal ? WhisperEngine.encoderFrames(content, config.finalBlockFrames())
                : WhisperEngine.encoderFrames(content + PARTIAL_TAIL_FRAMES, config.partialBlockFrames());
        float[] mel = runner.exclusive(() -> engine.melWindow(engine.features(audio, frames), 0, frames), account);
        // The language: given, or identified once per utterance (without a prompt, which would
        // pull the identification towards the previous utterance's language).
        String language = utteranceLanguage;
        // Partial passes on the first seconds of an utterance go without: given a second of
        // speech and a paragraph of prompt, Whisper tends to continue the paragraph.
        boolean prompted = language != null && language.equals(historyLanguage)
                && (isFinal || samples >= PARTIAL_PROMPT_FROM_SECONDS * RATE);
        int[] prompt = withHints(prompted ? history.stream().mapToInt(Integer::intValue).toArray() : new int[0]);
        DecodingOptions options = DecodingOptions.defaults().withTask(task).withLanguage(language).withPrompt(prompt)
                .withTemperatures(isFinal ? DecodingOptions.FALLBACK : List.of(0.0))
                .withBeamSize(isFinal ? config.beamSize() : 1)
                .withMaxTokens(tokenBudget(samples, isFinal));
        try (WhisperModel.Encoded encoded = runner.encode(mel, frames, account)) {
            DecodingResult result = decode(encoded, options);
            if (WindowDecoder.isSilence(result, options)) {
                return Pass.silent(result.language());
            }
            Segmenter.Split split = Segmenter.split(engine.tokenizer(), result.tokens(), offset, content / 100.0);
            WordAligner.Alignment alignment = runner.exclusive(
                    () -> engine.aligner().align(encoded, result, task, content, offset), account);
            List<Segment> segments = HallucinationGuard.clean(
                    WhisperEngine.attachWords(split.segments(), alignment), engine.tokenizer(),
                    options.compressionRatioThreshold());
            if (segments.isEmpty()) {
                return Pass.silent(result.language());
            }
            List<TimedWord> words = new ArrayList<>();
            for (Segment s : segments) {
                s.words().forEach(w -> words.add(TimedWord.of(w)));
            }
            String english = isFinal ? englishOf(encoded, options, result.language(), offset, content) : null;
            return new Pass(segments, words, result.language(), false, 0, english);
        }
    }

    /** One decoding of an encoded window, counted by the runner as decoding while it runs. */
    private DecodingResult decode(WhisperModel.Encoded encoded, DecodingOptions options) {
        runner.enterDecoding();
        try {
            return decoder.decode(encoded, options, random);
        } finally {
            runner.leaveDecoding();
        }
    }

    /**
     * The final's speech translated into English by the model's translate task, from the same
     * encoding (a second decoding only), where the session asks for it in this language; null
     * otherwise. Without a prompt: the earlier text is in the spoken language.
     */
    private String englishOf(WhisperModel.Encoded encoded, DecodingOptions transcribing, String language,
                             double offset, int content) {
        if (task != Task.TRANSCRIBE || language == null || language.equals("en") || !englishFromSpeech.test(language)) {
            return null;
        }
        DecodingOptions options = transcribing.withTask(Task.TRANSLATE).withLanguage(language).withPrompt(new int[0]);
        DecodingResult result = decode(encoded, options);
        if (WindowDecoder.isSilence(result, options)) {
            return null;
        }
        List<Segment> segments = HallucinationGuard.clean(
                Segmenter.split(engine.tokenizer(), result.tokens(), offset, content / 100.0).segments(),
                engine.tokenizer(), options.compressionRatioThreshold());
        String text = segments.stream().map(Segment::text).collect(java.util.stream.Collectors.joining()).strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * Tokens a pass may produce. Speech runs at about three words a second, four or five tokens
     * with the timestamps. A final may hold the fastest speaker's words: twelve a second, far
     * below a loop's 224 tokens, which would otherwise cost seconds. A partial is replaced a
     * second later, and a loop in it costs the stream's real time: eight a second.
     */
    static int tokenBudget(int samples, boolean isFinal) {
        double seconds = samples / (double) RATE;
        return Math.min(224, isFinal ? 16 + (int) Math.ceil(12 * seconds) : 8 + (int) Math.ceil(8 * seconds));
    }
}
