package io.parley.translate.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which candidate routes are preferred, best first.
 * <ol>
 *   <li>A route with a measured score beats one without: a measurement beats a guess.</li>
 *   <li>Between measured routes, the higher chrF wins, then the higher BLEU; but a route with
 *       more steps must beat a shorter measured one by more than {@link #CHRF_MARGIN} chrF, the
 *       size of chrF's noise on a few hundred sentences: each step costs time and adds a place
 *       to fail, and a difference inside the noise is no reason to pay for it.</li>
 *   <li>Between unmeasured routes, the rule: a route through a neural model may take one step
 *       more than a route of rule-based engines alone and still win (measured on FLORES, a
 *       neural hop plus a closely related Apertium pair beats the direct Apertium pair for
 *       every pair tried), and otherwise fewer steps beat more (every step adds its errors).</li>
 *   <li>Last, the signature, so that the choice never depends on the order of discovery.</li>
 * </ol>
 */
final class RouteRanking {

    /** chrF points a longer route must win by over a shorter one. */
    static final double CHRF_MARGIN = 0.5;

    private RouteRanking() {
    }

    /**
     * The candidates best first: {@link #bestFirst} order, except that the route taken first is the
     * one with the fewest steps among the measured routes within {@link #CHRF_MARGIN} of the
     * highest chrF (the highest chrF among those).
     */
    static List<Route> order(List<Route> candidates, RouteScores scores) {
        List<Route> sorted = new ArrayList<>(candidates);
        sorted.sort(bestFirst(scores));
        Optional<RouteScore> top = scores.of(sorted.getFirst());
        if (top.isEmpty()) {
            return sorted;
        }
        Route preferred = sorted.getFirst();
        for (Route r : sorted) {
            Optional<RouteScore> s = scores.of(r);
            if (s.isPresent() && s.get().chrF() >= top.get().chrF() - CHRF_MARGIN && r.hops() < preferred.hops()) {
                preferred = r; // sorted by chrF: the first shortest one found is the best of its length
            }
        }
        sorted.remove(preferred);
        sorted.addFirst(preferred);
        return sorted;
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
