package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.Translator;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A fake engine for the router's logic tests (the real engines are routed in
 * {@link RouteChainTest}): it serves declared pairs and "translates" by appending its name and
 * the pair, so that a route's output shows every step it went through, in order. A word written
 * as {@code ?word} is flagged as unknown, as Apertium flags one.
 */
record TaggingEngine(String engine, boolean neural, Set<LanguagePair> pairs) implements Translator {

    /** An engine serving {@code "en-es", "es-en", ...}. */
    static TaggingEngine of(String name, boolean neural, String... pairs) {
        return new TaggingEngine(name, neural, Arrays.stream(pairs)
                .map(p -> LanguagePair.of(p.substring(0, p.indexOf('-')), p.substring(p.indexOf('-') + 1)))
                .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public CompletableFuture<List<Translation>> translate(LanguagePair pair, List<String> texts) {
        return CompletableFuture.completedFuture(texts.stream().map(t -> new Translation(
                t + " [" + engine + ":" + pair + "]",
                Arrays.stream(t.split(" ")).filter(w -> w.startsWith("?")).toList())).toList());
    }

    @Override
    public void close() {
    }
}
