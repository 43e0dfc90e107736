package io.parley.gateway.config;

import io.parley.translate.routing.RoutePolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How translation routes are chosen.
 *
 * @param policy the most steps a route may take, and the captions' time budget
 * @param table  a route score table to choose by instead of the one this build carries (the
 *               file {@code ./parley bench mt} writes, measured on an operator's own sentences,
 *               say); empty: the bundled one
 */
public record RoutingConfig(RoutePolicy policy, Optional<Path> table) {

    public RoutingConfig {
        if (policy == null || table == null) {
            throw new IllegalArgumentException("the routing configuration needs a policy");
        }
        table.ifPresent(t -> {
            if (!Files.isRegularFile(t)) {
                throw new IllegalArgumentException("the route table " + t + " is not a file");
            }
        });
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(RoutePolicy.DEFAULT, Optional.empty());
    }

    public RoutingConfig withPolicy(RoutePolicy p) {
        return new RoutingConfig(p, table);
    }

    public RoutingConfig withTable(Path t) {
        return new RoutingConfig(policy, Optional.of(t));
    }
}
