package io.parley.bench;

import io.parley.translate.api.Translation;
import io.parley.translate.api.Translator;
import io.parley.translate.eval.Bleu;
import io.parley.translate.eval.ChrF;
import io.parley.translate.routing.Route;
import io.parley.translate.routing.RouteChoice;
import io.parley.translate.routing.RouteGraph;
import io.parley.translate.routing.RoutePolicy;
import io.parley.translate.routing.RouteScore;
import io.parley.translate.routing.RouteScores;
import io.parley.translate.routing.TranslationRouter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every candidate route between the languages of the shared evaluation set, scored: the dev
 * sentences of the multi-way corpus ({@link MtData#multiway()}) translated along each route of
 * the installed engines' graph (up to the policy's hops), BLEU and chrF against the target
 * language's sentences, and each step's time for one sentence sent alone (a route's time is the
 * sum of its steps': they run one after the other). The scores become the table that the router
 * chooses by ({@link RouteScores}), written where {@code -Dparley.route.table} says.
 */
final class RouteBench {

    /** Sentences timed one at a time per step, after as many warm-up ones. */
    static final int LATENCY_SENTENCES = 12;
    /** Sentences sent to an engine at once when scoring. */
    static final int SLICE = 8;

    /**
     * Published figures for routes through the neural model, measured on FLORES devtest sentences
     * (which the shared test data does not hold), as BLEU / chrF: what the chosen routes aim at.
     */
    static final Map<String, double[]> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("en-es", new double[] {19.2, 49.4});
        TARGETS.put("en-ca", new double[] {31.9, 58.6});
        TARGETS.put("en-gl", new double[] {24.3, 54.5});
        TARGETS.put("en-it", new double[] {16.3, 48.6});
        TARGETS.put("en-fr", new double[] {25.1, 53.9});
        TARGETS.put("es-en", new double[] {19.5, 53.3});
        TARGETS.put("ca-en", new double[] {32.0, 61.5});
        TARGETS.put("gl-en", new double[] {29.3, 60.2});
        TARGETS.put("fr-en", new double[] {23.2, 54.9});
    }

    private RouteBench() {
    }

    /** Scores every route, writes the table if asked to, and returns the JSON section. */
    static JsonObject run(List<Translator> engines, RoutePolicy policy, Path tableFile,
                          io.parley.kernels.accel.Accelerator speechAccelerator) throws Exception {
        long started = System.nanoTime();
        Map<String, List<String>> corpus = MtData.multiway();
        RouteGraph graph = new RouteGraph(engines);
        List<String> languages = graph.languages().stream().filter(corpus::containsKey).toList();
        BenchOutput.progress("routes between " + languages + ", up to " + policy.maxHops() + " steps");

        Map<String, Double> stepMs = new HashMap<>();
        Map<String, List<Translation>> done = new HashMap<>();
        List<RouteScore> scores = new ArrayList<>();
        Map<String, JsonObject> measured = new LinkedHashMap<>();
        for (String source : languages) {
            for (String target : languages) {
                for (Route route : graph.candidates(source, target, policy.maxHops())) {
                    List<Translation> out = translate(route, corpus.get(source), done);
                    List<String> hyps = out.stream().map(Translation::text).toList();
                    List<String> refs = corpus.get(target);
                    double bleu = Bleu.corpus(hyps, refs).score();
                    double chrF = ChrF.corpus(hyps, refs).score();
                    double ms = 0;
                    for (Route.Step step : route.steps()) {
                        ms += stepMs.computeIfAbsent(step.signature(), k -> timeStep(step, corpus.get(step.pair().source())));
                    }
                    RouteScore score = new RouteScore(route.signature(), Percentiles.round(chrF, 2), Percentiles.round(bleu, 2), hyps.size(),
                            Percentiles.round(ms, 1));
                    scores.add(score);
                    measured.put(route.signature(), new JsonObject().put("route", route.signature())
                            .put("languages", new JsonArray(route.languages())).put("engines", new JsonArray(route.engines()))
                            .put("bleu", score.bleu()).put("chrF", score.chrF()).put("msPerSentence", score.msPerSentence())
                            .put("flaggedWords", out.stream().mapToInt(t -> t.flaggedWords().size()).sum())
                            .put("blankOutputs", hyps.stream().filter(String::isBlank).count())
                            .put("sample", hyps.getFirst()));
                }
            }
        }
        TranslationRouter router = new TranslationRouter(engines, new RouteScores(scores), policy);
        // Speech into English, on the text routes just chosen: Whisper's translate task against them.
        JsonObject speech = SpeechRouteBench.run(router, speechAccelerator, scores);
        RouteScores table = new RouteScores(scores);
        JsonArray pairs = new JsonArray();
        JsonArray summary = new JsonArray();
        JsonArray targets = new JsonArray();
        boolean everyChosenIsBest = true;
        boolean everyAtLeastOneStep = true;
        for (String source : languages) {
            for (String target : languages) {
                RouteChoice choice = router.choice(source, target).orElse(null);
                if (choice == null) {
                    continue;
                }
                JsonArray candidates = new JsonArray();
                double bestChrF = 0;
                for (Route r : choice.candidates()) {
                    JsonObject m = measured.get(r.signature());
                    candidates.add(m);
                    bestChrF = Math.max(bestChrF, m.getDouble("chrF"));
                }
                JsonObject chosen = measured.get(choice.route().signature());
                JsonObject oneStep = choice.candidates().stream().filter(r -> r.hops() == 1)
                        .map(r -> measured.get(r.signature()))
                        .max(java.util.Comparator.comparingDouble(m -> m.getDouble("chrF"))).orElse(null);
                // The router may keep a shorter route within its noise margin of the top scorer.
                boolean atLeastBest = chosen.getDouble("chrF") >= bestChrF - 0.5;
                everyChosenIsBest &= atLeastBest;
                everyAtLeastOneStep &= oneStep == null || chosen.getDouble("chrF") >= oneStep.getDouble("chrF");
                JsonObject row = new JsonObject().put("pair", choice.pair().toString())
                        .put("chosen", choice.route().signature())
                        .put("languages", new JsonArray(choice.route().languages()))
                        .put("engines", new JsonArray(choice.route().engines()))
                        .put("bleu", chosen.getDouble("bleu")).put("chrF", chosen.getDouble("chrF"))
                        .put("msPerSentence", chosen.getDouble("msPerSentence"))
                        .put("candidates", choice.candidates().size())
                        .put("bestCandidateChrF", bestChrF)
                        .put("withinMarginOfBestCandidate", atLeastBest)
                        .put("bestOneStep", oneStep == null ? null : new JsonObject().put("route", oneStep.getString("route"))
                                .put("bleu", oneStep.getDouble("bleu")).put("chrF", oneStep.getDouble("chrF")))
                        .put("why", choice.reason());
                if (choice.captionRoute() != choice.route()) {
                    row.put("captionRoute", choice.captionRoute().signature());
                }
                summary.add(row);
                pairs.add(new JsonObject().put("pair", choice.pair().toString()).put("chosen", choice.route().signature())
                        .put("captionRoute", choice.captionRoute().signature()).put("candidates", candidates));
                double[] goal = TARGETS.get(choice.pair().toString());
                if (goal != null) {
                    targets.add(new JsonObject().put("pair", choice.pair().toString())
                            .put("targetBleu", goal[0]).put("targetChrF", goal[1])
                            .put("bleu", chosen.getDouble("bleu")).put("chrF", chosen.getDouble("chrF"))
                            .put("met", chosen.getDouble("bleu") >= goal[0] && chosen.getDouble("chrF") >= goal[1]));
                }
            }
        }
        if (tableFile != null) {
            table.write(tableFile, List.of(
                    "Measured quality and speed of translation routes, written by ./parley bench mt (" + java.time.LocalDate.now() + ").",
                    "chrF2 and BLEU on the " + corpus.values().iterator().next().size() + " FLORES dev sentences of the shared test data;",
                    "ms_per_sentence: the sum of the steps' median times for one sentence sent alone.",
                    "The router chooses each pair's best route by chrF (then BLEU); routes not listed here follow its stated rule.",
                    "speech:* rows: speech into English on " + SpeechRouteBench.SENTENCES + " of those sentences spoken by espeak-ng"
                            + " (recognition and translation time per sentence)."));
            BenchOutput.progress("route table written to " + tableFile);
        }
        JsonObject out = new JsonObject()
                .put("what", "Every route of up to " + policy.maxHops() + " steps between the evaluation set's languages"
                        + " over the installed engines, scored on the " + corpus.values().iterator().next().size()
                        + " dev sentences of the multi-way corpus (BLEU, chrF2); msPerSentence is the sum of the steps'"
                        + " median times for one sentence sent alone")
                .put("languages", new JsonArray(languages))
                .put("routesMeasured", scores.size())
                .put("chosen", summary)
                .put("everyChosenRouteWithinMarginOfTheBestMeasured", everyChosenIsBest)
                .put("everyChosenRouteAtLeastTheBestOneStep", everyAtLeastOneStep)
                .put("targets", targets)
                .put("stepMsPerSentence", new JsonObject(new LinkedHashMap<>(stepMs)))
                .put("speechToEnglish", speech)
                .put("detail", pairs);
        if (tableFile != null) {
            out.put("table", tableFile.getFileName().toString());
        }
        out.put("seconds", Percentiles.round((System.nanoTime() - started) / 1e9, 2));
        return out;
    }

    /** The route's output for every sentence; a prefix already translated (shared by other routes) is reused. */
    private static List<Translation> translate(Route route, List<String> sources, Map<String, List<Translation>> done)
            throws Exception {
        List<Translation> previous = null;
        String prefix = "";
        for (Route.Step step : route.steps()) {
            prefix = prefix.isEmpty() ? step.signature() : prefix + "," + step.signature();
            List<Translation> known = done.get(prefix);
            if (known == null) {
                List<String> input = previous == null ? sources : previous.stream().map(Translation::text).toList();
                BenchOutput.progress("  " + prefix);
                // In slices, so that no sentence waits out an engine's queue timeout behind the others.
                List<Translation> next = new ArrayList<>();
                for (int i = 0; i < input.size(); i += SLICE) {
                    next.addAll(step.engine().translate(step.pair(), input.subList(i, Math.min(input.size(), i + SLICE)))
                            .get(10, TimeUnit.MINUTES));
                }
                known = previous == null ? next : Route.merge(previous, next);
                done.put(prefix, known);
            }
            previous = known;
        }
        return previous;
    }

    /** The median time of one sentence sent alone through one step, after as many warm-up sentences. */
    private static double timeStep(Route.Step step, List<String> sentences) {
        try {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 2 * LATENCY_SENTENCES; i++) {
                String sentence = sentences.get((i * 7) % sentences.size());
                long t0 = System.nanoTime();
                step.engine().translate(step.pair(), List.of(sentence)).get(1, TimeUnit.MINUTES);
                if (i >= LATENCY_SENTENCES) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
            ms.sort(null);
            return ms.get(ms.size() / 2);
        } catch (Exception e) {
            throw new IllegalStateException("timing " + step.signature() + ": " + e.getMessage(), e);
        }
    }
}
