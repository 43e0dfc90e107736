package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The graph of installed translation pairs and the best route for every source and target,
 * computed once at start: a direct pair if some engine has one (engines earlier in the list
 * win), else a pivot through English, else a pivot through another language.
 */
public final class TranslationRouter {

    public static final String PIVOT = "en";

    private final List<Translator> engines;
    private final Map<LanguagePair, Route> routes = new LinkedHashMap<>();

    public TranslationRouter(List<Translator> enginesInPreferenceOrder) {
        this.engines = List.copyOf(enginesInPreferenceOrder);
        Map<LanguagePair, Translator> direct = new LinkedHashMap<>();
        for (Translator t : engines) {
            for (LanguagePair p : t.pairs()) {
                direct.putIfAbsent(p, t);
            }
        }
        direct.forEach((pair, engine) -> routes.put(pair, new Route(pair, List.of(new Route.Step(pair, engine)))));
        Set<String> languages = new TreeSet<>();
        direct.keySet().forEach(p -> {
            languages.add(p.source());
            languages.add(p.target());
        });
        // Two steps where no engine goes direct: through English where it can, as most pairs
        // are built to and from English; else through another language, so that (for
        // example) French reaches English by Apertium's French-Spanish and Spanish-English.
        List<String> pivots = new ArrayList<>();
        pivots.add(PIVOT);
        languages.stream().filter(l -> !l.equals(PIVOT)).forEach(pivots::add);
        for (String source : languages) {
            for (String target : languages) {
                if (source.equals(target) || routes.containsKey(LanguagePair.of(source, target))) {
                    continue;
                }
                LanguagePair pair = LanguagePair.of(source, target);
                for (String via : pivots) {
                    if (via.equals(source) || via.equals(target)) {
                        continue;
                    }
                    Translator first = direct.get(LanguagePair.of(source, via));
                    Translator second = direct.get(LanguagePair.of(via, target));
                    if (first != null && second != null) {
                        routes.put(pair, new Route(pair, List.of(
                                new Route.Step(LanguagePair.of(source, via), first),
                                new Route.Step(LanguagePair.of(via, target), second))));
                        break;
                    }
                }
            }
        }
    }

    public Optional<Route> route(String source, String target) {
        if (source.equals(target)) {
            return Optional.empty();
        }
        return Optional.ofNullable(routes.get(LanguagePair.of(source, target)));
    }

    /** Every route, sorted by source then target. */
    public List<Route> routes() {
        List<Route> all = new ArrayList<>(routes.values());
        all.sort((a, b) -> a.pair().toString().compareTo(b.pair().toString()));
        return Collections.unmodifiableList(all);
    }

    /** Languages reachable from {@code source}, itself included. */
    public Set<String> targetsFrom(String source) {
        Set<String> targets = new LinkedHashSet<>();
        targets.add(source);
        routes.keySet().stream().filter(p -> p.source().equals(source)).forEach(p -> targets.add(p.target()));
        return targets;
    }

    public List<Translator> engines() {
        return engines;
    }
}
