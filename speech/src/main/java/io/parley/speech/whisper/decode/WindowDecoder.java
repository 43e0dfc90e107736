package io.parley.speech.whisper.decode;

import io.parley.speech.whisper.model.LogitRows;
import io.parley.speech.whisper.model.WhisperConfig;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.text.WhisperTokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Decodes one encoded window into tokens, as OpenAI's Whisper does: the prompt (previous text,
 * start of transcript, language, task), the language identified from the start-of-transcript
 * logits when not given, then greedy or beam search under Whisper's logit rules; and when the
 * result looks like a failure (it repeats itself, or its average log-probability is low) again at
 * rising temperatures, unless the window was silence.
 */
public final class WindowDecoder {

    private final WhisperModel model;
    private final WhisperTokenizer tokenizer;
    private final WhisperConfig config;
    private final DecoderSteps steps;

    public WindowDecoder(WhisperModel model, WhisperTokenizer tokenizer, WhisperConfig config) {
        this(model, tokenizer, config, DecoderSteps.direct(model));
    }

    private WindowDecoder(WhisperModel model, WhisperTokenizer tokenizer, WhisperConfig config, DecoderSteps steps) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.steps = steps;
    }

    /** The same decoder running its model steps through {@code steps} (a batching scheduler). */
    public WindowDecoder withSteps(DecoderSteps steps) {
        return new WindowDecoder(model, tokenizer, config, steps);
    }

    private float[] step(WhisperModel.DecoderState state, int[] tokens) {
        return steps.decode(List.of(state), List.of(tokens), LogitRows.last())[0];
    }

    /** The tokens before the start of transcript: the previous text, at most half the context. */
    private int[] previousText(int[] prompt) {
        if (prompt.length == 0) {
            return new int[0];
        }
        int keep = Math.min(prompt.length, model.dims().textCtx() / 2 - 1);
        int[] out = new int[keep + 1];
        out[0] = tokenizer.startOfPrevious;
        System.arraycopy(prompt, prompt.length - keep, out, 1, keep);
        return out;
    }

    /** Logits at the start-of-transcript token: language identification and no-speech probability. */
    private float[] startOfTranscript(WhisperModel.DecoderState state, int[] prompt) {
        return step(state, startOfTranscriptTokens(prompt));
    }

    /** The previous text, then the start of transcript. */
    private int[] startOfTranscriptTokens(int[] prompt) {
        int[] prefix = previousText(prompt);
        int[] tokens = Arrays.copyOf(prefix, prefix.length + 1);
        tokens[prefix.length] = tokenizer.sot;
        return tokens;
    }

    public LanguageProbabilities detectLanguage(WhisperModel.Encoded encoded) {
        try (WhisperModel.DecoderState state = model.newState(encoded)) {
            return LanguageProbabilities.of(startOfTranscript(state, new int[0]), tokenizer.languages());
        }
    }

    /** Decodes a window with temperature fallback. */
    public DecodingResult decode(WhisperModel.Encoded encoded, DecodingOptions options, Random random) {
        return decode(encoded, options, random, new int[0]);
    }

    /**
     * Decodes a window with temperature fallback, with a draft of its text: tokens it will
     * probably choose (a live stream's last partial), which greedy decoding checks many at a time
     * instead of choosing them one step each. The result is the same as without a draft; only
     * the number of passes over the decoder changes.
     */
    public DecodingResult decode(WhisperModel.Encoded encoded, DecodingOptions options, Random random, int[] draft) {
        try (WhisperModel.DecoderState state = model.newState(encoded)) {
            // The tokens before the text (previous text, start of transcript, language, task, a
            // forced prefix) are the same at every temperature: fed once, and each attempt goes on
            // from them. With a full prompt they cost as much as a dozen decoder steps.
            Start start = start(state, options);
            DecodingResult result = null;
            for (double temperature : options.temperatures()) {
                state.truncate(start.length());
                result = decodeFrom(state, start, options, temperature, random,
                        temperature == 0 ? new DraftCursor(draft, tokenizer.eot) : DraftCursor.none());
                boolean fallback = result.compressionRatio() > options.compressionRatioThreshold()
                        || result.avgLogProb() < options.logProbThreshold();
                if (result.noSpeechProb() > options.noSpeechThreshold()) {
                    fallback = false; // silence: retrying will not make words appear
                }
                if (!fallback) {
                    break;
                }
            }
            return result;
        }
    }

    /** Whether a decoded window is silence rather than speech (Whisper's no-speech rule). */
    public static boolean isSilence(DecodingResult r, DecodingOptions options) {
        return r.noSpeechProb() > options.noSpeechThreshold() && r.avgLogProb() < options.logProbThreshold();
    }

    /**
     * Where every attempt at a window starts: the decoder state holds the tokens before the text
     * ({@code length} of them), {@code logits} are those after the last, and the language and the
     * no-speech probability were read at the start of transcript.
     */
    private record Start(int length, float[] logits, String language, double noSpeech) {
    }

    private Start start(WhisperModel.DecoderState state, DecodingOptions options) {
        boolean multilingual = model.dims().multilingual();
        String language = options.language() != null ? options.language() : multilingual ? null : "en";
        if (language != null) {
            // Every token up to the text is known: the previous text, the start of transcript and
            // the task tokens go in one pass, read at the start of transcript (no-speech) and at
            // the end. Fed apart they cost a decoder pass more per window.
            int[] before = startOfTranscriptTokens(options.prompt());
            int[] rest = afterStart(language, options);
            int[] tokens = Arrays.copyOf(before, before.length + rest.length);
            System.arraycopy(rest, 0, tokens, before.length, rest.length);
            int sot = before.length - 1;
            float[] rows = steps.decode(List.of(state), List.of(tokens),
                    rest.length == 0 ? LogitRows.last() : LogitRows.at(sot, tokens.length - 1))[0];
            int vocab = model.dims().vocab();
            float[] sotLogits = Arrays.copyOfRange(rows, 0, vocab);
            float[] logits = rest.length == 0 ? sotLogits : Arrays.copyOfRange(rows, vocab, 2 * vocab);
            return new Start(state.length(), logits, language, softmax(sotLogits, tokenizer.noSpeech));
        }
        // The language is read at the start of transcript, before the task tokens that name it.
        float[] sotLogits = startOfTranscript(state, options.prompt());
        language = options.languageChoice().choose(LanguageProbabilities.of(sotLogits, tokenizer.languages()));
        int[] rest = afterStart(language, options);
        float[] logits = rest.length == 0 ? sotLogits : step(state, rest);
        return new Start(state.length(), logits, language, softmax(sotLogits, tokenizer.noSpeech));
    }

    /** The tokens between the start of transcript and the text: language, task, timestamps rule, forced prefix. */
    private int[] afterStart(String language, DecodingOptions options) {
        List<Integer> rest = new ArrayList<>();
        if (model.dims().multilingual()) {
            rest.add(tokenizer.language(language));
            rest.add(options.task() == Task.TRANSLATE ? tokenizer.translate : tokenizer.transcribe);
        }
        if (!options.timestamps()) {
            rest.add(tokenizer.noTimestamps);
        }
        // A forced prefix goes in with the task tokens, in one pass: its tokens are known.
        for (int t : options.prefix()) {
            rest.add(t);
        }
        return rest.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One attempt at {@code temperature}, from {@code start} (the state holds exactly its tokens). */
    private DecodingResult decodeFrom(WhisperModel.DecoderState state, Start start, DecodingOptions options,
                                      double temperature, Random random, DraftCursor draft) {
        int[] prefix = options.prefix();
        float[] logits = start.logits().clone(); // the logit rules work in place
        LogitFilter filter = new LogitFilter(tokenizer, config.suppressIds(), config.suppressAtBegin(),
                options.timestamps(), options.maxInitialTimestamp());
        int budget = Math.min(options.maxTokens() - prefix.length, model.dims().textCtx() - state.length());
        Hypothesis best;
        if (temperature == 0 && options.beamSize() > 1) {
            best = beamSearch(state, logits, filter, options, budget);
        } else {
            Hypothesis h = new Hypothesis();
            for (int t : prefix) {
                h.tokens.add(t);
                h.logProbs.add(0f); // given, not chosen
            }
            best = temperature == 0 && !draft.isEmpty()
                    ? greedyWithDraft(state, logits, filter, budget, h, draft)
                    : sample(state, logits, filter, temperature, random, budget, h);
        }
        int[] tokens = best.tokens.stream().mapToInt(Integer::intValue).toArray();
        String text = tokenizer.decode(tokens);
        int chosen = tokens.length - prefix.length;
        return new DecodingResult(tokens, best.logProbs(), text, start.language(), best.sum / (chosen + 1),
                start.noSpeech(), compressionRatio(text), temperature);
    }

    /** A sequence being searched: its tokens (no end of text), their log-probabilities, their sum. */
    private static final class Hypothesis {
        final List<Integer> tokens = new ArrayList<>();
        final List<Float> logProbs = new ArrayList<>();
        double sum;
        boolean finished;

        Hypothesis copy() {
            Hypothesis h = new Hypothesis();
            h.tokens.addAll(tokens);
            h.logProbs.addAll(logProbs);
            h.sum = sum;
            h.finished = finished;
            return h;
        }

        float[] logProbs() {
            float[] out = new float[logProbs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = logProbs.get(i);
            }
            return out;
        }
    }

    /** Greedy (temperature 0) or sampled decoding of one sequence. */
    private Hypothesis sample(WhisperModel.DecoderState state, float[] logits, LogitFilter filter, double temperature,
                              Random random, int budget, Hypothesis h) {
        for (int step = 0; step < budget; step++) {
            int next = choose(logits, filter, temperature, random, h);
            if (next == tokenizer.eot) {
                break;
            }
            if (step + 1 < budget) {
                logits = step(state, new int[]{next});
            }
        }
        return h;
    }

    /**
     * The next token of {@code h} from the logits after its last one: Whisper's rules applied,
     * then the most likely token (temperature 0) or one drawn at {@code temperature}. Its
     * log-probability joins {@code h}'s sum, and the token joins its tokens unless it ends the text.
     */
    private int choose(float[] logits, LogitFilter filter, double temperature, Random random, Hypothesis h) {
        filter.apply(logits, h.tokens);
        double norm = LogitFilter.logSumExp(logits, 0, logits.length);
        int next = temperature == 0 ? LogitRanking.argmax(logits) : draw(logits, temperature, random);
        double logProb = logits[next] - norm;
        h.sum += logProb;
        if (next != tokenizer.eot) {
            h.tokens.add(next);
            h.logProbs.add((float) logProb);
        }
        return next;
    }

    /**
     * Greedy decoding that checks a draft many tokens at a time. After choosing a token, it feeds
     * that token and the draft's next ones in one pass, which gives the logits after each of them.
     * A draft token is accepted while it is exactly what greedy decoding would choose there,
     * under the same logit rules and with the same tokens before it. The first token that differs
     * is chosen instead, and the cache is cut back to the accepted tokens. A decoder step is
     * bound by reading the weights, so a pass over sixteen tokens costs a few single steps (most
     * of it the logits of each), and a final that repeats its partial takes a few passes instead
     * of one per token: on the first dev clip, int8, 94 ms instead of 215 ms.
     */
    private Hypothesis greedyWithDraft(WhisperModel.DecoderState state, float[] firstLogits, LogitFilter filter,
                                       int budget, Hypothesis h, DraftCursor draft) {
        int vocab = firstLogits.length;
        float[] rows = firstLogits; // the logits after each token of `fed`, one row after another
        int[] fed = null;
        int row = 0;
        for (int chosen = 0; chosen < budget; ) {
            float[] logits = rows.length == vocab ? rows : Arrays.copyOfRange(rows, row * vocab, (row + 1) * vocab);
            int next = choose(logits, filter, 0, null, h);
            if (next == tokenizer.eot) {
                break;
            }
            chosen++;
            draft.accept(next);
            if (chosen >= budget) {
                break;
            }
            if (fed != null && row + 1 < fed.length && fed[row + 1] == next) {
                row++; // the draft had it: its logits came with the last pass
                continue;
            }
            if (fed != null) {
                state.truncate(state.length() - (fed.length - row - 1)); // the draft's rejected tokens
                draft.checked(fed.length - 1, row);
            }
            int room = Math.min(budget - chosen - 1, model.dims().textCtx() - state.length() - 1);
            int[] proposal = draft.proposal(room);
            fed = new int[proposal.length + 1];
            fed[0] = next;
            System.arraycopy(proposal, 0, fed, 1, proposal.length);
            rows = steps.decode(List.of(state), List.of(fed), LogitRows.lastOrEvery(proposal.length > 0))[0];
            row = 0;
        }
        return h;
    }

    /**
     * Beam search as OpenAI's decoder runs it: each beam proposes its best {@code beam + 1}
     * continuations, the best {@code beam} unfinished ones go on, those ending in end-of-text are
     * set aside, until {@code beam * patience} have finished; the winner has the highest
     * log-probability per token.
     */
    private Hypothesis beamSearch(WhisperModel.DecoderState first, float[] firstLogits, LogitFilter filter,
                                  DecodingOptions options, int budget) {
        int beam = options.beamSize();
        int wanted = (int) Math.round(beam * options.patience());
        List<WhisperModel.DecoderState> states = new ArrayList<>();
        states.add(first);
        for (int i = 1; i < beam; i++) {
            states.add(model.newState(first.encoded())); // empty: only the first has a history yet
        }
        List<WhisperModel.DecoderState> spare = new ArrayList<>();
        for (int i = 0; i < beam; i++) {
            spare.add(model.newState(first.encoded()));
        }
        List<Hypothesis> beams = new ArrayList<>();
        beams.add(new Hypothesis());
        List<float[]> logits = new ArrayList<>(List.of(firstLogits));
        List<Hypothesis> finished = new ArrayList<>();
        try {
            for (int step = 0; step < budget && finished.size() < wanted; step++) {
                record Candidate(Hypothesis parent, int source, int token, double logProb, double score) {
                }
                List<Candidate> candidates = new ArrayList<>();
                for (int b = 0; b < beams.size(); b++) {
                    float[] l = logits.get(b);
                    filter.apply(l, beams.get(b).tokens);
                    double norm = LogitFilter.logSumExp(l, 0, l.length);
                    for (int token : LogitRanking.topK(l, beam + 1)) {
                        double lp = l[token] - norm;
                        candidates.add(new Candidate(beams.get(b), b, token, lp, beams.get(b).sum + lp));
                    }
                }
                candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
                List<Hypothesis> next = new ArrayList<>();
                List<Integer> sources = new ArrayList<>();
                List<Integer> tokens = new ArrayList<>();
                for (Candidate c : candidates) {
                    Hypothesis h = c.parent().copy();
                    h.sum = c.score();
                    if (c.token() == tokenizer.eot) {
                        h.finished = true;
                        finished.add(h);
                    } else {
                        h.tokens.add(c.token());
                        h.logProbs.add((float) c.logProb());
                        next.add(h);
                        sources.add(c.source());
                        tokens.add(c.token());
                        if (next.size() == beam) {
                            break;
                        }
                    }
                }
                if (finished.size() >= wanted || next.isEmpty() || step + 1 >= budget) {
                    beams = next;
                    break;
                }
                // Each new beam continues from its parent's cache: the first child of a parent
                // takes the parent's cache itself, only further children copy it.
                List<WhisperModel.DecoderState> children = new ArrayList<>();
                boolean[] taken = new boolean[states.size()];
                for (int i = 0; i < next.size(); i++) {
                    int parent = sources.get(i);
                    if (!taken[parent]) {
                        taken[parent] = true;
                        children.add(states.get(parent));
                    } else {
                        children.add(null);
                    }
                }
                List<WhisperModel.DecoderState> free = new ArrayList<>(spare);
                for (int i = 0; i < next.size(); i++) {
                    if (children.get(i) == null) {
                        WhisperModel.DecoderState copy = free.removeLast();
                        copy.copyFrom(states.get(sources.get(i)));
                        children.set(i, copy);
                    }
                }
                for (int p = 0; p < states.size(); p++) {
                    if (!taken[p]) {
                        free.add(states.get(p));
                    }
                }
                states = children;
                spare = free;
                List<WhisperModel.DecoderState> active = states;
                List<int[]> feed = new ArrayList<>();
                for (int t : tokens) {
                    feed.add(new int[]{t});
                }
                logits = new ArrayList<>(List.of(steps.decode(active, feed, LogitRows.last())));
                beams = next;
            }
            if (finished.size() < wanted) {
                finished.addAll(beams); // unfinished beams compete too when the budget ran out
            }
            return finished.stream().max(Comparator.comparingDouble(h -> h.sum / Math.max(1, h.tokens.size())))
                    .orElseGet(Hypothesis::new);
        } finally {
            for (WhisperModel.DecoderState s : states) {
                if (s != first) {
                    s.close();
                }
            }
            for (WhisperModel.DecoderState s : spare) {
                if (s != first) {
                    s.close();
                }
            }
        }
    }

    private static int draw(float[] l, double temperature, Random random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) {
            max = Math.max(max, v);
        }
        double[] p = new double[l.length];
        double sum = 0;
        for (int t = 0; t < l.length; t++) {
            p[t] = l[t] == Float.NEGATIVE_INFINITY ? 0 : Math.exp((l[t] - max) / temperature);
            sum += p[t];
        }
        double r = random.nextDouble() * sum;
        for (int t = 0; t < l.length; t++) {
            r -= p[t];
            if (r <= 0 && p[t] > 0) {
                return t;
            }
        }
        return LogitRanking.argmax(l);
    }

    private static double softmax(float[] l, int token) {
        return Math.exp(l[token] - LogitFilter.logSumExp(l, 0, l.length));
    }

    /** Text bytes over their zlib-compressed size, as Whisper measures repetition. */
    public static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return 0;
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        deflater.setInput(bytes);
        deflater.finish();
        byte[] out = new byte[bytes.length + 64];
        int size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(out);
        }
        deflater.end();
        return (double) bytes.length / size;
    }
}
