package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.Translator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A real engine seen through the pairs a test declares: routing tests build their graph from
 * what they name, not from whichever Apertium pairs the machine happens to have. Translation is
 * the engine's own.
 */
record DeclaredPairs(Translator engine0, Set<LanguagePair> pairs) implements Translator {

    static DeclaredPairs of(Translator engine, String... pairs) {
        Set<LanguagePair> declared = new java.util.LinkedHashSet<>();
        for (String p : pairs) {
            LanguagePair pair = LanguagePair.of(p.substring(0, p.indexOf('-')), p.substring(p.indexOf('-') + 1));
            if (!engine.pairs().contains(pair)) {
                throw new IllegalStateException(engine.engine() + " does not serve " + pair
                        + " here: ./parley test installs the Apertium pairs the tests use");
            }
            declared.add(pair);
        }
        return new DeclaredPairs(engine, Set.copyOf(declared));
    }

    @Override
    public String engine() {
        return engine0.engine();
    }

    @Override
    public boolean neural() {
        return engine0.neural();
    }

    @Override
    public CompletableFuture<List<Translation>> translate(LanguagePair pair, List<String> texts) {
        return engine0.translate(pair, texts);
    }

    @Override
    public void close() {
        // the engine is the test's to close
    }
}
