package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;

import java.util.List;
import java.util.Optional;

/**
 * The routes chosen for one pair, and why.
 *
 * @param pair         the source and target
 * @param route        the best route: what the text API translates with
 * @param score        its measured score, if the table has one
 * @param captionRoute the best route that keeps within the captions' time budget (often the same)
 * @param candidates   every route considered, best first
 * @param reason       why these routes, in words
 */
public record RouteChoice(LanguagePair pair, Route route, Optional<RouteScore> score, Route captionRoute,
                          List<Route> candidates, String reason) {

    public RouteChoice {
        candidates = List.copyOf(candidates);
    }
}
