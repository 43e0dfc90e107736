package io.parley.gateway.http;

import io.parley.translate.routing.Route;
import io.parley.translate.routing.RouteChoice;
import io.parley.translate.routing.RouteScores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How a route and the reasons for choosing it read in the API's JSON. */
final class RouteJson {

    /** Alternatives listed beside a choice in {@code /v1/languages}: enough to see what it beat. */
    static final int ALTERNATIVES = 3;

    private RouteJson() {
    }

    /** The route's languages, engines, steps and measured score (null when unmeasured). */
    static JsonObject route(Route route, RouteScores scores) {
        JsonArray steps = new JsonArray();
        route.steps().forEach(s -> steps.add(new JsonObject().put("from", s.pair().source())
                .put("to", s.pair().target()).put("engine", s.engine().engine())));
        return new JsonObject().put("route", new JsonArray(route.languages()))
                .put("engines", new JsonArray(route.engines()))
                .put("steps", steps)
                .put("score", scores.of(route).map(s -> new JsonObject().put("chrF", s.chrF()).put("bleu", s.bleu())
                        .put("sentences", s.sentences()).put("msPerSentence", s.msPerSentence())).orElse(null));
    }

    /** One pair's entry in {@code /v1/languages}: the chosen route, why, and what it beat. */
    static JsonObject choice(RouteChoice choice, RouteScores scores) {
        JsonObject out = route(choice.route(), scores)
                .put("why", choice.reason())
                .put("candidates", choice.candidates().size());
        if (choice.captionRoute() != choice.route()) {
            out.put("captions", route(choice.captionRoute(), scores));
        }
        JsonArray alternatives = new JsonArray();
        choice.candidates().stream().skip(1).limit(ALTERNATIVES).forEach(r -> alternatives.add(route(r, scores)));
        return out.put("alternatives", alternatives);
    }
}
