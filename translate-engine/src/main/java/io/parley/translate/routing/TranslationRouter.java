package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The best route for every source and target, chosen once at start over every route of the
 * installed engines' graph ({@link RouteGraph}) by measured quality ({@link RouteScores}), or,
 * where nothing is measured, by the rule that {@link RouteRanking} states. For live captions, a
 * route whose measured time per sentence exceeds the policy's budget is passed over.
 */
public final class TranslationRouter {

    private final List<Translator> engines;
    private final RouteScores scores;
    private final RoutePolicy policy;
    private final Map<LanguagePair, RouteChoice> choices = new LinkedHashMap<>();

    /** Routes chosen by the scores this build carries and the default policy. */
    public TranslationRouter(List<Translator> engines) {
        this(engines, RouteScores.bundled(), RoutePolicy.DEFAULT);
    }

    public TranslationRouter(List<Translator> engines, RouteScores scores, RoutePolicy policy) {
        this.engines = List.copyOf(engines);
        this.scores = scores;
        this.policy = policy;
        RouteGraph graph = new RouteGraph(this.engines);
        for (String source : graph.languages()) {
            for (String target : graph.languages()) {
                List<Route> candidates = graph.candidates(source, target, policy.maxHops());
                if (!candidates.isEmpty()) {
                    candidates = RouteRanking.order(candidates, scores);
                    choices.put(LanguagePair.of(source, target), choose(LanguagePair.of(source, target), candidates));
                }
            }
        }
    }

    private RouteChoice choose(LanguagePair pair, List<Route> bestFirst) {
        Route best = bestFirst.getFirst();
        Optional<RouteScore> score = scores.of(best);
        long measured = bestFirst.stream().filter(r -> scores.of(r).isPresent()).count();
        Route topScoring = bestFirst.stream().min(RouteRanking.bestFirst(scores)).orElseThrow();
        String why = score.map(s -> String.format(Locale.ROOT, "measured best: chrF %.1f, BLEU %.1f on %d sentences (%d of %d routes measured)",
                        s.chrF(), s.bleu(), s.sentences(), measured, bestFirst.size())
                        + (topScoring == best ? "" : String.format(Locale.ROOT,
                        "; within %.1f chrF of %s (%.1f) in fewer steps", RouteRanking.CHRF_MARGIN,
                        String.join(" -> ", topScoring.languages()), scores.of(topScoring).orElseThrow().chrF())))
                .orElse(String.format(Locale.ROOT, "not measured: %s (%d routes, none measured)",
                        best.throughNeuralModel() ? "a route through a neural model with the fewest steps"
                                : "the fewest steps", bestFirst.size()));
        Route caption = bestFirst.stream().filter(this::withinCaptionBudget).findFirst()
                // None keeps within the budget: the fastest measured one, as captions must flow.
                .orElseGet(() -> bestFirst.stream().min(java.util.Comparator.comparingDouble(
                        r -> scores.of(r).map(RouteScore::msPerSentence).orElse(Double.MAX_VALUE))).orElseThrow());
        if (caption != best) {
            why += String.format(Locale.ROOT, "; captions take %s, as the best route needs %.0f ms per sentence (budget %d ms)",
                    String.join(" + ", caption.engines()), score.map(RouteScore::msPerSentence).orElse(0.0),
                    policy.captionBudgetMs());
        }
        return new RouteChoice(pair, best, score, caption, bestFirst, why);
    }

    private boolean withinCaptionBudget(Route r) {
        return scores.of(r).map(s -> s.msPerSentence() <= policy.captionBudgetMs()).orElse(true);
    }

    /** The best route from {@code source} to {@code target}, for text. */
    public Optional<Route> route(String source, String target) {
        return choice(source, target).map(RouteChoice::route);
    }

    /** The best route that keeps live captions within the time budget. */
    public Optional<Route> captionRoute(String source, String target) {
        return choice(source, target).map(RouteChoice::captionRoute);
    }

    public Optional<RouteChoice> choice(String source, String target) {
        if (source.equals(target)) {
            return Optional.empty();
        }
        return Optional.ofNullable(choices.get(LanguagePair.of(source, target)));
    }

    /** Every pair's choice, sorted by source then target. */
    public List<RouteChoice> choices() {
        List<RouteChoice> all = new ArrayList<>(choices.values());
        all.sort((a, b) -> a.pair().toString().compareTo(b.pair().toString()));
        return Collections.unmodifiableList(all);
    }

    /** Every pair's best route, sorted by source then target. */
    public List<Route> routes() {
        return choices().stream().map(RouteChoice::route).toList();
    }

    /** Languages reachable from {@code source}, itself included. */
    public Set<String> targetsFrom(String source) {
        Set<String> targets = new LinkedHashSet<>();
        targets.add(source);
        choices.keySet().stream().filter(p -> p.source().equals(source)).forEach(p -> targets.add(p.target()));
        return targets;
    }

    public RouteScores scores() {
        return scores;
    }

    public RoutePolicy policy() {
        return policy;
    }

    public List<Translator> engines() {
        return engines;
    }
}
