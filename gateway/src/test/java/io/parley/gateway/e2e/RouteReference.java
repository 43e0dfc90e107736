package io.parley.gateway.e2e;

import io.parley.translate.routing.Route;
import io.parley.translate.text.SentenceSplitter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a caption's translation should be, worked out apart from the gateway's translation path
 * (its sentence cache, glossary masking and route code): the text split into sentences, each sent
 * through the engines of the route the gateway chose for captions, one step after the other.
 */
final class RouteReference {

    private RouteReference() {
    }

    static String caption(TestGateway gw, String from, String to, String text) throws Exception {
        Route route = gw.engines.router().captionRoute(from, to).orElseThrow();
        List<String> out = new ArrayList<>();
        for (String sentence : SentenceSplitter.split(text)) {
            String s = sentence;
            for (Route.Step step : route.steps()) {
                s = step.engine().translate(step.pair(), List.of(s)).get(60, TimeUnit.SECONDS).getFirst().text();
            }
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return String.join(" ", out);
    }
}
