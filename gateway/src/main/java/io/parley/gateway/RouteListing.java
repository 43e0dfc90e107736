package io.parley.gateway;

import io.parley.translate.routing.RouteChoice;
import io.parley.translate.routing.RouteScores;

import java.util.Locale;

/** One line of the start-up listing per pair: the route, its engines and its measured score. */
final class RouteListing {

    private RouteListing() {
    }

    static String line(RouteChoice choice, RouteScores scores) {
        String score = choice.score().map(s -> String.format(Locale.ROOT, "chrF %.1f, BLEU %.1f, %.0f ms/sentence",
                s.chrF(), s.bleu(), s.msPerSentence())).orElse("not measured");
        String line = String.join(" -> ", choice.route().languages()) + "  via "
                + String.join(" + ", choice.route().engines()) + "  (" + score + ")";
        if (choice.captionRoute() != choice.route()) {
            line += "; captions via " + String.join(" -> ", choice.captionRoute().languages());
        }
        return line;
    }
}
