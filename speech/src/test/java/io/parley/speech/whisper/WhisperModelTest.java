package io.parley.speech.whisper;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.MelSpec;
import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.whisper.decode.DecoderSteps;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.LanguageProbabilities;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.model.LogitRows;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.model.WhisperConfig;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.text.WhisperTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whisper base on the JVM backend against CTranslate2 on the same weights, in f32
 * (tools/fixtures/whisper_reference.py). Tolerances, absolute: features 2e-4 (the kernels'
 * log-mel test's bound); encoder output 2e-3 on values of standard deviation 1.5, after six
 * layers whose f32 sums are ordered differently from CTranslate2's (measured: 2e-4);
 * first-step logits 2e-3 on values up to ~30 (measured: 5e-5).
 */
class WhisperModelTest {

    static ReferenceFixture fixture;
    static Accelerator acc;
    static WhisperModel model;
    static WhisperTokenizer tokenizer;
    static float[] mel;
    static WindowDecoder decoder;

    @BeforeAll
    static void load() throws Exception {
        fixture = ReferenceFixture.load("whisper-base-0870");
        Path dir = ModelLocator.whisper("base");
        acc = new JvmAccelerator();
        model = WhisperModel.load(dir.resolve("model.bin"), acc, Precision.F32);
        tokenizer = WhisperTokenizer.load(dir.resolve("tokenizer.json"));
        decoder = new WindowDecoder(model, tokenizer, WhisperConfig.load(dir.resolve("config.json")));
        mel = logMel(acc, window(fixture));
    }

    /** The fixture clip in a 30 s window, zero-padded, as the reference script feeds it. */
    static float[] window(ReferenceFixture fixture) throws java.io.IOException {
        float[] audio = WavFile.read(EvaluationSet.locate().clip(fixture.clip).wav()).monoSamples();
        return Arrays.copyOf(audio, 480_000);
    }

    /** Whisper's 3000 x 80 log-mel frames of a 30 s window, on {@code acc}. */
    static float[] logMel(Accelerator acc, float[] window) {
        try (DeviceArray in = acc.upload(window); DeviceArray out = acc.allocate(3000 * 80)) {
            acc.logMel(in, window.length, MelSpec.whisper(80), out);
            return acc.read(out);
        }
    }

    @AfterAll
    static void close() {
        model.close();
        acc.close();
    }

    static void assertClose(String what, float[] expected, float[] got, double tolerance) {
        assertEquals(expected.length, got.length, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - got[i]);
            worst = Math.max(worst, diff);
            if (!(diff <= tolerance)) {
                fail(String.format("%s[%d] = %g, CTranslate2 %g", what, i, got[i], expected[i]));
            }
        }
        System.out.printf("%s: largest difference %.2e%n", what, worst);
    }

    @Test
    void featuresMatch() {
        float[] expected = fixture.slice("features"); // 80 x 800, mel-major
        float[] got = new float[80 * 800];
        for (int m = 0; m < 80; m++) {
            for (int f = 0; f < 800; f++) {
                got[m * 800 + f] = mel[f * 80 + m];
            }
        }
        assertClose("features", expected, got, 2e-4);
    }

    @Test
    void encoderOutputMatches() {
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            assertClose("encoder", fixture.slice("encoder"), fixture.encoderSample(enc.output()), 2e-3);
        }
    }

    @Test
    void greedyTokenIdsAreIdenticalWithAndWithoutTimestamps() {
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            DecodingOptions greedy = DecodingOptions.defaults().withLanguage("en").withTemperatures(java.util.List.of(0.0));
            DecodingResult withTs = decoder.decode(enc, greedy, new java.util.Random(0));
            assertEquals(Arrays.toString(fixture.ids("greedyTimestamps", "ids")),
                    Arrays.toString(withTs.tokens()), "with timestamps");
            DecodingResult plain = decoder.decode(enc, greedy.withTimestamps(false), new java.util.Random(0));
            assertEquals(Arrays.toString(fixture.ids("greedyNoTimestamps", "ids")),
                    Arrays.toString(plain.tokens()), "without timestamps");
            double noSpeech = ((Number) fixture.section("greedyTimestamps").get("noSpeechProb")).doubleValue();
            assertEquals(noSpeech, withTs.noSpeechProb(), 1e-4);
            System.out.println("greedy text: " + plain.text());
        }
    }

    /**
     * In f16 the cross-attention keys and values are kept as the backend's attention reads them
     * (f16 on the JVM): greedy decoding still reads the reference's words.
     */
    @Test
    void inHalfPrecisionGreedyDecodingReadsTheSameWords() throws Exception {
        Path dir = ModelLocator.whisper("base");
        WhisperModel half = WhisperModel.load(dir.resolve("model.bin"), acc, Precision.F16);
        WindowDecoder halfDecoder = new WindowDecoder(half, tokenizer, WhisperConfig.load(dir.resolve("config.json")));
        DecodingOptions greedy = DecodingOptions.defaults().withLanguage("en").withTemperatures(java.util.List.of(0.0))
                .withTimestamps(false);
        try (WhisperModel.Encoded enc = half.encode(mel, 3000); WhisperModel.Encoded full = model.encode(mel, 3000)) {
            String expected = decoder.decode(full, greedy, new java.util.Random(0)).text();
            assertEquals(expected, halfDecoder.decode(enc, greedy, new java.util.Random(0)).text());
        } finally {
            half.close();
        }
    }

    /**
     * A draft (a live partial's text) changes how many passes greedy decoding makes, never what it
     * chooses: the exact text, one with a word changed, one dropped and one added, and unrelated
     * text all give the tokens decoded without a draft, with timestamps and without.
     */
    @Test
    void aDraftIsCheckedManyTokensAtATimeAndChangesNothing() {
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger fed = new java.util.concurrent.atomic.AtomicInteger();
        DecoderSteps direct = DecoderSteps.direct(model);
        WindowDecoder counted = decoder.withSteps((states, tokens, wanted) -> {
            passes.incrementAndGet();
            tokens.forEach(t -> fed.addAndGet(t.length));
            return direct.decode(states, tokens, wanted);
        });
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            for (boolean timestamps : new boolean[]{true, false}) {
                DecodingOptions greedy = DecodingOptions.defaults().withLanguage("en")
                        .withTemperatures(java.util.List.of(0.0)).withTimestamps(timestamps);
                passes.set(0);
                fed.set(0);
                DecodingResult plain = counted.decode(enc, greedy, new java.util.Random(0));
                int plainPasses = passes.get();
                int plainFed = fed.get();
                String expected = Arrays.toString(plain.tokens());
                List<String> drafts = List.of(plain.text(),
                        " And Mr. John Dashwood had then pleasure to consider how much there might be in his power to do for them.",
                        " And John Dashwood had then the leisure to consider how much there might be prudently in his power.",
                        " The quick brown fox jumps over the lazy dog.");
                for (String draft : drafts) {
                    passes.set(0);
                    fed.set(0);
                    DecodingResult drafted = counted.decode(enc, greedy, new java.util.Random(0), tokenizer.encode(draft));
                    assertEquals(expected, Arrays.toString(drafted.tokens()), "draft: " + draft);
                    assertEquals(plain.avgLogProb(), drafted.avgLogProb(), 1e-3, "draft: " + draft);
                    System.out.printf("timestamps %s, draft \"%s\": %d passes over %d tokens (%d over %d without)%n",
                            timestamps, draft, passes.get(), fed.get(), plainPasses, plainFed);
                    if (draft.equals(plain.text())) {
                        assertTrue(passes.get() * 3 < plainPasses, passes.get() + " passes with the exact draft, "
                                + plainPasses + " without");
                    }
                    if (draft.startsWith(" The quick")) {
                        // Guesses that fail are paid for in tokens fed: a draft with nothing in common
                        // with the speech costs a failed guess or two, not one per token.
                        assertTrue(fed.get() <= plainFed + 3 * 4, fed.get() + " tokens fed with an unrelated draft, "
                                + plainFed + " without");
                    } else {
                        assertTrue(passes.get() * 2 < plainPasses, passes.get() + " passes with a draft close to the"
                                + " text, " + plainPasses + " without");
                    }
                }
            }
        }
    }

    /**
     * A retry at a higher temperature goes on from the tokens before the text, fed once for all
     * attempts: it gives exactly what the same attempt gives on its own, with a prompt and without,
     * after a greedy attempt or a beam search (whose beams took the state over), and costs no
     * pass over the prompt again.
     */
    @Test
    void aRetryAtAHigherTemperatureGoesOnFromThePromptFedOnce() {
        java.util.concurrent.atomic.AtomicInteger fed = new java.util.concurrent.atomic.AtomicInteger();
        DecoderSteps direct = DecoderSteps.direct(model);
        WindowDecoder counted = decoder.withSteps((states, tokens, wanted) -> {
            tokens.forEach(t -> fed.addAndGet(t.length));
            return direct.decode(states, tokens, wanted);
        });
        int[] prompt = tokenizer.encode(" Sense and Sensibility, chapter two. Mrs. John Dashwood now installed herself"
                + " mistress of Norland, and her mother and sisters-in-law were degraded to the condition of visitors.");
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            for (int[] p : List.of(new int[0], prompt)) {
                for (int beam : new int[]{1, 5}) {
                    // A log-probability no result reaches: every attempt is retried, the last one stands.
                    DecodingOptions always = new DecodingOptions(io.parley.speech.whisper.decode.Task.TRANSCRIBE, "en",
                            true, java.util.List.of(0.0, 0.6), beam, 1.0, 1.0, 2.4, 0.0, 0.6, 224, p,
                            io.parley.speech.whisper.decode.LanguageChoice.ANY, new int[0]);
                    fed.set(0);
                    DecodingResult retried = counted.decode(enc, always, new java.util.Random(42));
                    int fedRetried = fed.get();
                    fed.set(0);
                    DecodingResult alone = counted.decode(enc, always.withTemperatures(java.util.List.of(0.6)),
                            new java.util.Random(42));
                    int fedAlone = fed.get();
                    assertEquals(0.6, retried.temperature());
                    assertEquals(Arrays.toString(alone.tokens()), Arrays.toString(retried.tokens()),
                            "prompt " + p.length + ", beam " + beam);
                    assertEquals(alone.avgLogProb(), retried.avgLogProb(), 1e-4);
                    // The greedy or beam attempt's own tokens are all it adds: the prompt went in once.
                    fed.set(0);
                    counted.decode(enc, always.withTemperatures(java.util.List.of(0.0)), new java.util.Random(42));
                    int startTokens = p.length + (p.length > 0 ? 1 : 0) + 3;
                    assertEquals(fedAlone + fed.get() - startTokens, fedRetried, "prompt " + p.length + ", beam " + beam);
                }
            }
        }
    }

    @Test
    void aForcedPrefixIsFedInOnePassAndGreedyGoesOnAsIfItHadChosenIt() {
        int[] expected = fixture.ids("greedyNoTimestamps", "ids");
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            DecodingOptions plain = DecodingOptions.defaults().withLanguage("en").withTemperatures(java.util.List.of(0.0))
                    .withTimestamps(false);
            // The first eight tokens as greedy chose them, forced: the rest as greedy goes on.
            int[] prefix = Arrays.copyOf(expected, 8);
            DecodingResult forced = decoder.decode(enc, plain.withPrefix(prefix), new java.util.Random(0));
            assertEquals(Arrays.toString(expected), Arrays.toString(forced.tokens()));
            // A prefix greedy would not have chosen is kept as given, and the text goes on after it.
            int[] other = tokenizer.encode(" And Mrs. John Dashwood");
            DecodingResult steered = decoder.decode(enc, plain.withPrefix(other), new java.util.Random(0));
            System.out.println("steered: " + steered.text());
            assertTrue(steered.text().startsWith(" And Mrs. John Dashwood"), steered.text());
            assertTrue(steered.text().contains("leisure to consider"), steered.text());
        }
    }

    @Test
    void languageProbabilitiesMatch() {
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            LanguageProbabilities p = decoder.detectLanguage(enc);
            assertEquals("en", p.best());
            for (Object o : (java.util.List<?>) fixture.meta.get("languages")) {
                java.util.List<?> pair = (java.util.List<?>) o;
                String code = (String) pair.get(0);
                double expected = ((Number) pair.get(1)).doubleValue();
                assertEquals(expected, p.probability(code), 1e-4 + 1e-3 * expected, "P(" + code + ")");
            }
        }
    }

    /**
     * Windows encoded together (one product over all their rows, each window's keys and values
     * copied out of the fused product) give each window what encoding it alone gives: its output
     * and, through its cross-attention keys and values, its decoder's logits.
     */
    @Test
    void windowsEncodedTogetherAreEachAsIfEncodedAlone() {
        int frames = 1000;
        float[] first = Arrays.copyOfRange(mel, 0, frames * 80);
        float[] second = Arrays.copyOfRange(mel, frames * 80, 2 * frames * 80);
        int[] prompt = fixture.ids("firstStep", "prompt");
        List<WhisperModel.Encoded> together = model.encode(List.of(first, second), frames);
        try {
            float[][] windows = {first, second};
            for (int i = 0; i < 2; i++) {
                try (WhisperModel.Encoded alone = model.encode(windows[i], frames);
                     WhisperModel.DecoderState a = model.newState(alone);
                     WhisperModel.DecoderState t = model.newState(together.get(i))) {
                    assertClose("window " + i + " encoder", alone.output(), together.get(i).output(), 1e-4);
                    assertClose("window " + i + " logits", model.decode(a, prompt), model.decode(t, prompt), 1e-3);
                }
            }
        } finally {
            together.forEach(WhisperModel.Encoded::close);
        }
    }

    /**
     * Decoder states reuse the key/value caches of closed ones. A reused cache holds another
     * sequence's keys beyond its length, which must not show; and a state closed twice must not
     * give its cache to two live states.
     */
    @Test
    void reusedDecoderCachesBehaveAsFreshOnes() {
        int[] prompt = fixture.ids("firstStep", "prompt");
        int[] longer = Arrays.copyOf(prompt, prompt.length + 6);
        for (int i = prompt.length; i < longer.length; i++) {
            longer[i] = tokenizer.encode(" the")[0];
        }
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            float[] fresh;
            float[] freshNext;
            try (WhisperModel.DecoderState s = model.newState(enc)) {
                fresh = model.decode(s, prompt);
                freshNext = model.decode(s, new int[]{tokenizer.encode(" And")[0]});
            }
            WhisperModel.DecoderState used = model.newState(enc);
            model.decode(used, longer);
            used.close();
            used.close(); // twice: still one cache back in the pool
            try (WhisperModel.DecoderState a = model.newState(enc); WhisperModel.DecoderState b = model.newState(enc)) {
                // 1e-3: the same arithmetic, but compiled code may sum vector lanes in another order
                // than the first calls did; a cache mixed up with another sequence's is off by far more.
                assertClose("reused cache, first step", fresh, model.decode(a, prompt), 1e-3);
                model.decode(b, tokenizer.encode(" Something else entirely, said by someone else.")); // overwrites a's keys if both hold one cache
                assertClose("reused cache, next step", freshNext, model.decode(a, new int[]{tokenizer.encode(" And")[0]}), 1e-3);
            }
            assertThrows(IllegalStateException.class, () -> model.decode(used, prompt));
        }
    }

    /**
     * Logits asked for after chosen tokens of a pass are the rows that every position's logits
     * give there, and a pass that asks for none but its last gives that row.
     */
    @Test
    void logitsComeAfterTheTokensAskedFor() {
        int[] tokens = fixture.ids("firstStep", "prompt");
        int vocab = model.dims().vocab();
        try (WhisperModel.Encoded enc = model.encode(mel, 3000);
             WhisperModel.DecoderState everyState = model.newState(enc);
             WhisperModel.DecoderState chosenState = model.newState(enc);
             WhisperModel.DecoderState lastState = model.newState(enc)) {
            float[] every = model.decode(List.of(everyState), List.of(tokens),
                    new LogitRows[]{LogitRows.every()})[0];
            assertEquals(tokens.length * vocab, every.length);
            int first = 0;
            int last = tokens.length - 1;
            float[] chosen = model.decode(List.of(chosenState), List.of(tokens),
                    new LogitRows[]{LogitRows.at(first, last)})[0];
            assertEquals(2 * vocab, chosen.length);
            assertClose("logits after the first token", Arrays.copyOfRange(every, 0, vocab),
                    Arrays.copyOfRange(chosen, 0, vocab), 1e-4);
            assertClose("logits after the last token", Arrays.copyOfRange(every, last * vocab, tokens.length * vocab),
                    Arrays.copyOfRange(chosen, vocab, 2 * vocab), 1e-4);
            assertClose("logits of a plain step", Arrays.copyOfRange(every, last * vocab, tokens.length * vocab),
                    model.decode(lastState, tokens), 1e-4);
            assertEquals(tokens.length, chosenState.length());
        }
        assertThrows(IllegalArgumentException.class, () -> LogitRows.at(2, 1));
    }

    /**
     * Sequences batched into one pass, each asking for other rows (chosen ones, every one, its
     * last), get what each gets alone: the batched passes of several live streams.
     */
    @Test
    void batchedSequencesGetTheRowsEachAskedFor() {
        int[] all = fixture.ids("firstStep", "prompt");
        int vocab = model.dims().vocab();
        List<int[]> tokens = List.of(all, Arrays.copyOf(all, 3), Arrays.copyOfRange(all, 1, all.length));
        LogitRows[] wanted = {
                LogitRows.at(0, 2, all.length - 1),
                LogitRows.every(),
                LogitRows.last()};
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            List<WhisperModel.DecoderState> batch = List.of(model.newState(enc), model.newState(enc), model.newState(enc));
            float[][] together = model.decode(batch, tokens, wanted);
            for (int i = 0; i < tokens.size(); i++) {
                try (WhisperModel.DecoderState alone = model.newState(enc)) {
                    float[] every = model.decode(List.of(alone), List.of(tokens.get(i)),
                            new LogitRows[]{LogitRows.every()})[0];
                    int[] rows = switch (i) {
                        case 0 -> new int[]{0, 2, all.length - 1};
                        case 1 -> new int[]{0, 1, 2};
                        default -> new int[]{tokens.get(i).length - 1};
                    };
                    assertEquals(rows.length * vocab, together[i].length, "sequence " + i);
                    for (int r = 0; r < rows.length; r++) {
                        assertClose("sequence " + i + ", row " + rows[r],
                                Arrays.copyOfRange(every, rows[r] * vocab, (rows[r] + 1) * vocab),
                                Arrays.copyOfRange(together[i], r * vocab, (r + 1) * vocab), 1e-3);
                    }
                }
            }
            batch.forEach(WhisperModel.DecoderState::close);
        }
    }

    /**
     * A pass read for its cross-attention (word alignment) stops after the last layer's
     * cross-attention and computes no logits, yet leaves the cache as a full pass does: decoding
     * goes on from it as from a state fed normally. Each head asked for comes back alone, its
     * rows a softmax over the window.
     */
    @Test
    void aPassReadForItsAttentionLeavesTheCacheWhole() {
        int[] tokens = fixture.ids("firstStep", "prompt");
        int[] next = {tokenizer.encode(" And")[0]};
        int[][] heads = {{3, 1}, {5, 6}, {4, 2}};
        try (WhisperModel.Encoded enc = model.encode(mel, 3000);
             WhisperModel.DecoderState read = model.newState(enc);
             WhisperModel.DecoderState fed = model.newState(enc);
             WhisperModel.DecoderState one = model.newState(enc)) {
            WhisperModel.CrossAttention att = model.crossAttention(read, tokens, heads);
            model.decode(fed, tokens);
            assertEquals(fed.length(), read.length());
            assertClose("logits after a pass read for its attention", model.decode(fed, next), model.decode(read, next), 1e-4);
            assertEquals(heads.length, att.weights().length);
            for (float[] w : att.weights()) {
                assertEquals(tokens.length * att.positions(), w.length);
                for (int i = 0; i < tokens.length; i++) {
                    double sum = 0;
                    for (int j = 0; j < att.positions(); j++) {
                        sum += w[i * att.positions() + j];
                    }
                    assertEquals(1.0, sum, 1e-3, "a row of weights is a softmax");
                }
            }
            float[] alone = model.crossAttention(one, tokens, new int[][]{heads[1]}).weights()[0];
            assertClose("one head asked for alone", att.weights()[1], alone, 1e-6);
            assertThrows(IllegalArgumentException.class, () -> model.crossAttention(one, tokens, new int[][]{{6, 0}}));
        }
    }

    /**
     * With the language given, the previous text, the start of transcript and the task tokens go
     * in one decoder pass: one pass fewer than when the language is read at the start of
     * transcript, for the same tokens, language and no-speech probability.
     */
    @Test
    void withTheLanguageGivenTheTokensBeforeTheTextGoInOnePass() {
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        DecoderSteps direct = DecoderSteps.direct(model);
        WindowDecoder counted = decoder.withSteps((states, tokens, wanted) -> {
            passes.incrementAndGet();
            return direct.decode(states, tokens, wanted);
        });
        int[] prompt = tokenizer.encode(" Sense and Sensibility, chapter two.");
        try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
            for (int[] p : List.of(new int[0], prompt)) {
                for (boolean timestamps : new boolean[]{true, false}) {
                    DecodingOptions auto = DecodingOptions.defaults().withTemperatures(List.of(0.0))
                            .withTimestamps(timestamps).withPrompt(p);
                    passes.set(0);
                    DecodingResult detected = counted.decode(enc, auto, new java.util.Random(0));
                    int detectedPasses = passes.get();
                    passes.set(0);
                    DecodingResult given = counted.decode(enc, auto.withLanguage("en"), new java.util.Random(0));
                    String what = "prompt " + p.length + ", timestamps " + timestamps;
                    assertEquals("en", detected.language(), what);
                    assertEquals("en", given.language(), what);
                    assertEquals(Arrays.toString(detected.tokens()), Arrays.toString(given.tokens()), what);
                    assertEquals(detected.noSpeechProb(), given.noSpeechProb(), 1e-4, what);
                    assertEquals(detected.avgLogProb(), given.avgLogProb(), 1e-4, what);
                    assertEquals(detectedPasses - 1, passes.get(), what);
                }
            }
        }
    }

    @Test
    void firstStepLogitsMatch() {
        try (WhisperModel.Encoded enc = model.encode(mel, 3000);
             WhisperModel.DecoderState state = model.newState(enc)) {
            float[] logits = state == null ? null : model.decode(state, fixture.ids("firstStep", "prompt"));
            float[] expected = fixture.slice("firstStep");
            int compared = 0;
            double worst = 0;
            for (int t = 0; t < expected.length; t++) {
                if (expected[t] > -1e30f) { // CTranslate2 returns suppressed tokens at the lowest float
                    double diff = Math.abs(expected[t] - logits[t]);
                    worst = Math.max(worst, diff);
                    if (!(diff <= 2e-3)) {
                        fail(String.format("logit of token %d = %g, CTranslate2 %g", t, logits[t], expected[t]));
                    }
                    compared++;
                }
            }
            System.out.printf("first-step logits: %d compared, largest difference %.2e%n", compared, worst);
            assertTrue(compared > 50_000);
        }
    }
}
