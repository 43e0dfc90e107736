package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.Translator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How one language reaches another: one direct step, or several through pivot languages, each
 * language passed through once (so no route loops). Each step translates the previous step's
 * output; flagged words of every step are kept, in order, so that a word unknown to any engine
 * on the way is reported.
 *
 * @param pair  the source and final target
 * @param steps each step's pair and the engine that translates it
 */
public record Route(LanguagePair pair, List<Step> steps) {

    /** One translation step. */
    public record Step(LanguagePair pair, Translator engine) {

        /** {@code marian:en-pt}: the engine and the pair, as the score table names a step. */
        public String signature() {
            return engine.engine() + ":" + pair;
        }
    }

    public Route {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one step");
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String expectedSource = i == 0 ? pair.source() : steps.get(i - 1).pair().target();
            if (!s.pair().source().equals(expectedSource)) {
                throw new IllegalArgumentException("step " + s.signature() + " does not start where the route is");
            }
        }
        if (!steps.getLast().pair().target().equals(pair.target())) {
            throw new IllegalArgumentException("the route's last step does not reach " + pair.target());
        }
        if (new java.util.HashSet<>(languagesOf(steps)).size() != steps.size() + 1) {
            throw new IllegalArgumentException("a route passes through each language once: " + languagesOf(steps));
        }
    }

    /** A one-step route. */
    public static Route direct(LanguagePair pair, Translator engine) {
        return new Route(pair, List.of(new Step(pair, engine)));
    }

    /**
     * The route as the score table names it: its steps' signatures joined by commas,
     * {@code marian:en-pt,apertium:pt-es}.
     */
    public String signature() {
        return String.join(",", steps.stream().map(Step::signature).toList());
    }

    /** How many engines translate one after the other. */
    public int hops() {
        return steps.size();
    }

    /** Whether any step is a neural model. */
    public boolean throughNeuralModel() {
        return steps.stream().anyMatch(s -> s.engine().neural());
    }

    /** The languages passed through, source first: ["es", "en", "pt"]. */
    public List<String> languages() {
        return languagesOf(steps);
    }

    private static List<String> languagesOf(List<Step> steps) {
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

    /**
     * A step's output, with the words that earlier steps flagged kept: a word unknown to any
     * engine on the way is reported. An unknown word usually passes through the next engine
     * unchanged and is flagged again, so the lists are joined as multisets (a word flagged once
     * by each of two steps is reported once; twice by one step, twice).
     */
    public static List<Translation> merge(List<Translation> previous, List<Translation> next) {
        List<Translation> merged = new ArrayList<>(next.size());
        for (int i = 0; i < next.size(); i++) {
            List<String> flagged = new ArrayList<>(previous.get(i).flaggedWords());
            List<String> unmatched = new ArrayList<>(previous.get(i).flaggedWords());
            for (String word : next.get(i).flaggedWords()) {
                if (!unmatched.remove(word)) {
                    flagged.add(word);
                }
            }
            merged.add(new Translation(next.get(i).text(), flagged));
        }
        return merged;
    }
}
