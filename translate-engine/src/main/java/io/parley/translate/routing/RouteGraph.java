package io.parley.translate.routing;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The installed translation directions as a graph: languages are nodes, and every direction
 * that an engine serves is an edge (two engines serving the same direction are two edges).
 * A candidate route is a path through it that visits no language twice, so none loops.
 */
public final class RouteGraph {

    private final Map<String, List<Route.Step>> edgesFrom = new LinkedHashMap<>();
    private final Set<String> languages = new TreeSet<>();

    public RouteGraph(List<Translator> engines) {
        for (Translator engine : engines) {
            // Sorted, so that the graph (and every choice made over it) does not depend on set order.
            for (LanguagePair pair : engine.pairs().stream().sorted(Comparator.comparing(LanguagePair::toString)).toList()) {
                edgesFrom.computeIfAbsent(pair.source(), k -> new ArrayList<>()).add(new Route.Step(pair, engine));
                languages.add(pair.source());
                languages.add(pair.target());
            }
        }
    }

    /** Every language some engine translates from or into, sorted. */
    public Set<String> languages() {
        return Collections.unmodifiableSet(languages);
    }

    /**
     * Every route from {@code source} to {@code target} of at most {@code maxHops} steps, in a
     * stable order (shorter first, then by signature).
     */
    public List<Route> candidates(String source, String target, int maxHops) {
        if (maxHops < 1) {
            throw new IllegalArgumentException("a route has at least one step");
        }
        List<Route> found = new ArrayList<>();
        if (source.equals(target)) {
            return found;
        }
        walk(source, target, maxHops, new ArrayList<>(), new LinkedHashSet<>(List.of(source)), found);
        found.sort((a, b) -> a.hops() != b.hops() ? Integer.compare(a.hops(), b.hops())
                : a.signature().compareTo(b.signature()));
        return found;
    }

    private void walk(String at, String target, int hopsLeft, List<Route.Step> path, Set<String> visited, List<Route> found) {
        for (Route.Step edge : edgesFrom.getOrDefault(at, List.of())) {
            String next = edge.pair().target();
            if (visited.contains(next)) {
                continue;
            }
            path.add(edge);
            if (next.equals(target)) {
                found.add(new Route(LanguagePair.of(path.getFirst().pair().source(), target), path));
            } else if (hopsLeft > 1) {
                visited.add(next);
                walk(next, target, hopsLeft - 1, path, visited, found);
                visited.remove(next);
            }
            path.removeLast();
        }
    }
}
