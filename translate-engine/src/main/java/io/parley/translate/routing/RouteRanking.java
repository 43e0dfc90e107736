package io.parley.translate.routing;

import java.util.Comparator;
import java.util.Optional;

/**
 * The order in which candidate routes are preferred, best first.
 * <ol>
 *   <li>A route with a measured score beats one without: a measurement beats a guess.</li>
 *   <li>Between measured routes, the higher chrF wins, then the higher BLEU.</li>
 *   <li>Between unmeasured routes, the rule: a route through a neural model may take one step
 *       more than a route of rule-based engines alone and still win (measured on FLORES, a
 *       neural hop plus a closely related Apertium pair beats the direct Apertium pair for
 *       every pair tried), and otherwise fewer steps beat more (every step adds its errors).</li>
 *   <li>Last, the signature, so that the choice never depends on the order of discovery.</li>
 * </ol>
 */
final class RouteRanking {

    private RouteRanking() {
    }

    static Comparator<Route> bestFirst(RouteScores scores) {
        Comparator<Route> measuredFirst = Comparator.comparing((Route r) -> scores.of(r).isEmpty());
        Comparator<Route> byScore = Comparator.comparingDouble((Route r) -> -score(scores.of(r), true))
                .thenComparingDouble(r -> -score(scores.of(r), false));
        Comparator<Route> byRule = Comparator.comparingInt(RouteRanking::ruleCost)
                .thenComparing(r -> !r.throughNeuralModel())
                .thenComparingInt(Route::hops);
        return measuredFirst.thenComparing(byScore).thenComparing(byRule).thenComparing(Route::signature);
    }

    /** Steps, less one for a route through a neural model. */
    static int ruleCost(Route r) {
        return r.hops() - (r.throughNeuralModel() ? 1 : 0);
    }

    private static double score(Optional<RouteScore> s, boolean chrF) {
        return s.map(v -> chrF ? v.chrF() : v.bleu()).orElse(0.0);
    }
}
