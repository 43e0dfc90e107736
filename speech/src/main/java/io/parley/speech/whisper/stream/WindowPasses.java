package io.parley.speech.whisper.stream;

import io.parley.speech.whisper.WhisperEngine;
import io.parley.speech.whisper.align.WordAligner;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.LanguageChoice;
import io.parley.speech.whisper.decode.Segment;
import io.parley.speech.whisper.decode.Segmenter;
import io.parley.speech.whisper.decode.Task;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.vad.SileroVad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The passes of one stream over its window, through the shared {@link ModelRunner}: features,
 * encoding, decoding with the stream's prompt (its earlier finals and the room's terms), word
 * alignment and the guards against invented text. Partial passes are cheap and final passes
 * accurate; a final pass goes ahead of other streams' partial work in the runner.
 */
final class WindowPasses {

    private static final int RATE = WhisperEngine.SAMPLE_RATE;
    /**
     * A shortened window ends in a second of silence. Cut right after the last word, Whisper
     * loops: on the dev clips a third of the partial passes ran to their token budget repeating
     * the utterance, while with the silence after it the hypotheses are those of the full
     * window but for a word or two (bench/results/asr.json: shortened-context WER).
     */
    private static final int PARTIAL_TAIL_FRAMES = 100;
    private static final int PARTIAL_PROMPT_FROM_SECONDS = 3;

    /**
     * The language of a pass: {@code given}, or identified by {@code choice}; {@code heard} is
     * what the stream's last pass heard (for a window too short to decode).
     */
    record Language(String given, LanguageChoice choice, String heard) {
    }

    private final WhisperEngine engine;
    private final ModelRunner runner;
    private final ModelRunner.Account account;
    private final StreamingConfig config;
    private final Task task;
    private final Supplier<List<String>> hints;
    private final Predicate<String> englishFromSpeech;
    private final PassStats stats;
    private final WindowDecoder decoder;
    private final Random random = new Random(0);
    private final List<Integer> history = new ArrayList<>();
    private String historyLanguage;

    WindowPasses(WhisperEngine engine, ModelRunner runner, ModelRunner.Account account, StreamingConfig config,
                 Task task, Supplier<List<String>> hints, Predicate<String> englishFromSpeech, PassStats stats) {
        this.engine = engine;
        this.runner = runner;
        this.account = account;
        this.config = config;
        this.task = task;
        this.hints = hints;
        this.englishFromSpeech = englishFromSpeech;
        this.stats = stats;
        this.decoder = engine.decoder().withSteps((states, tokens, wanted) -> runner.decode(states, tokens, account, wanted));
    }

    /**
     * Decodes the first {@code samples} of the window. A partial pass is cheap: the encoder on
     * the audio present (and a second of silence), greedy, one temperature, a tight token
     * budget. A final pass is the accurate one: Whisper's full window and temperature fallback,
     * and it goes ahead of other streams' partial work in the shared model.
     */
    WindowPass pass(UtteranceWindow window, int samples, boolean isFinal, Language language) {
        return pass(window, samples, isFinal, language, "", "");
    }

    /**
     * A pass over the first {@code samples} of the window. A partial pass with {@code settled}
     * text (the words the agreement policy settled, never shown changed) feeds its tokens as a
     * forced prefix in one batched step, and decodes only what follows them: settled text is
     * never decoded again token by token, which is most of a long utterance's partial passes.
     * The {@code draft} is the text this pass will probably decode (after {@code settled}): what
     * the stream's last partial heard. Greedy decoding checks it many tokens at a time, with the
     * same result as without it (see {@link WindowDecoder#decode(WhisperModel.Encoded,
     * DecodingOptions, Random, int[])}).
     */
    WindowPass pass(UtteranceWindow window, int samples, boolean isFinal, Language language, String settled,
                    String draft) {
        PassClock clock = new PassClock(PassStats.Phase.FEATURES);
        account.urgent(isFinal);
        WindowPass p;
        try {
            p = decodeWindow(window, samples, isFinal, language, isFinal ? "" : settled, draft, clock);
        } catch (PartialShed e) {
            stats.add(PassStats.Kind.PARTIAL_SHED, clock.stop());
            throw e;
        } finally {
            account.urgent(false);
        }
        double[] phases = clock.stop();
        stats.add(isFinal ? PassStats.Kind.FINAL : PassStats.Kind.PARTIAL, phases);
        return p.took(phases);
    }

    private WindowPass decodeWindow(UtteranceWindow window, int samples, boolean isFinal, Language language,
                                    String settled, String draft, PassClock clock) {
        if (samples < SileroVad.CHUNK) {
            return WindowPass.silent(language.heard());
        }
        float[] audio = window.head(samples);
        double offset = window.start() / (double) RATE;
        int content = samples / WhisperEngine.HOP;
        int frames = isFinal ? WhisperEngine.encoderFrames(content, config.finalBlockFrames())
                : WhisperEngine.encoderFrames(content + PARTIAL_TAIL_FRAMES, config.partialBlockFrames());
        float[] mel = runner.exclusive(() -> engine.melWindow(engine.features(audio, frames), 0, frames), account);
        // The language: given, or identified by every pass (the final's, on the whole utterance,
        // is the one kept), among the expected languages and staying with the stream's language
        // until the evidence changes. An identifying pass goes without a prompt, which would
        // pull it towards the previous utterance's language.
        // Partial passes on the first seconds of an utterance go without: given a second of
        // speech and a paragraph of prompt, Whisper tends to continue the paragraph.
        boolean prompted = language.given() != null && language.given().equals(historyLanguage)
                && (isFinal || samples >= PARTIAL_PROMPT_FROM_SECONDS * RATE);
        int[] prompt = withHints(prompted ? history.stream().mapToInt(Integer::intValue).toArray() : new int[0]);
        DecodingOptions options = DecodingOptions.defaults().withTask(task).withLanguage(language.given())
                .withPrompt(prompt).withLanguageChoice(language.choice())
                .withTemperatures(isFinal ? DecodingOptions.FALLBACK : List.of(0.0))
                .withBeamSize(isFinal ? config.beamSize() : 1)
                .withMaxTokens(tokenBudget(samples, isFinal));
        int[] prefix = settled.isBlank() ? new int[0] : engine.tokenizer().encode(settled);
        if (prefix.length > 0 && prefix.length < options.maxTokens() - 1) {
            // Without timestamps: with them, Whisper would have to open the text after the prefix
            // with a timestamp; one segment serves a partial, whose words are aligned anyway.
            options = options.withTimestamps(false).withPrefix(prefix);
        }
        clock.enter(PassStats.Phase.ENCODE);
        try (WhisperModel.Encoded encoded = runner.encode(mel, frames, account)) {
            clock.enter(PassStats.Phase.DECODE);
            int[] draftTokens = draft.isBlank() ? new int[0] : engine.tokenizer().encode(draft);
            DecodingResult result = decode(encoded, options, draftTokens);
            if (WindowDecoder.isSilence(result, options)) {
                return WindowPass.silent(result.language());
            }
            clock.enter(PassStats.Phase.ALIGN);
            Segmenter.Split split = Segmenter.split(engine.tokenizer(), result.tokens(), offset, content / 100.0);
            WordAligner.Alignment alignment = runner.exclusive(
                    () -> engine.aligner().align(encoded, result, task, content, offset), account);
            List<Segment> segments = HallucinationGuard.clean(
                    WhisperEngine.attachWords(split.segments(), alignment), engine.tokenizer(),
                    options.compressionRatioThreshold());
            if (segments.isEmpty()) {
                return WindowPass.silent(result.language());
            }
            List<TimedWord> words = new ArrayList<>();
            for (Segment s : segments) {
                s.words().forEach(w -> words.add(TimedWord.of(w)));
            }
            clock.enter(PassStats.Phase.ENGLISH);
            String english = isFinal ? englishOf(encoded, options, result.language(), offset, content) : null;
            return new WindowPass(segments, words, result.language(), false, english);
        }
    }

    /** One decoding of an encoded window, counted by the runner as decoding while it runs. */
    private DecodingResult decode(WhisperModel.Encoded encoded, DecodingOptions options, int[] draft) {
        runner.enterDecoding();
        try {
            return decoder.decode(encoded, options, random, draft);
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
        DecodingResult result = decode(encoded, options, new int[0]);
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
    void remember(List<Segment> segments, String language) {
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
}
