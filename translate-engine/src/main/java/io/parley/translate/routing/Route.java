package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.Translator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How one language reaches another: one direct step, or several through a pivot language.
 * Flagged words of every step are kept, in order.
 *
 * @param pair  the source and final target
 * @param steps each step's pair and the engine that translates it
 */
public record Route(LanguagePair pair, List<Step> steps) {

    /** One translation step. */
    public record Step(LanguagePair pair, Translator engine) {
    }

    public Route {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one step");
        }
    }

    /** The languages passed through, source first: ["es", "en", "pt"]. */
    public List<String> languages() {
        List<String> langs = new ArrayList<>();
        langs.add(steps.getFirst().pair().source());
        steps.forEach(s -> langs.add(s.pair().target()));
        return langs;
    }

    /** The engines used, step by step. */
    public List<String> engines() {
        return steps.stream().map(s -> s.engine().engine()).toList();
    }

    public CompletableFuture<List<Translation>> translate(List<String> texts) {
        CompletableFuture<List<Translation>> result = steps.getFirst().engine().translate(steps.getFirst().pair(), texts);
        for (Step step : steps.subList(1, steps.size())) {
            result = result.thenCompose(previous -> step.engine()
                    .translate(step.pair(), previous.stream().map(Translation::text).toList())
                    .thenApply(next -> merge(previous, next)));
        }
        return result;
    }

    private static List<Translation> merge(List<Translation> previous, List<Translation> next) {
        List<Translation> merged = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) {
            List<String> flagged = new ArrayList<>(previous.get(i).flaggedWords());
            flagged.addAll(next.get(i).flaggedWords());
            merged.add(new Translation(next.get(i).text(), flagged));
        }
        return merged;
    }
}
