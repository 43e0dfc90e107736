package io.parley.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether this gateway is one node of a fleet, and how it finds the others.
 *
 * @param enabled    {@code --cluster}: join a Vert.x cluster (Hazelcast) instead of running alone
 * @param members    {@code --cluster-members HOST:PORT,...}: the Hazelcast members to join by TCP/IP
 *                   (no multicast); this node's own address may be among them
 * @param port       {@code --cluster-port N}: where this node's Hazelcast member listens
 * @param host       {@code --cluster-host ADDR}: the address the other nodes reach this one at, for
 *                   Hazelcast and for the event bus
 * @param role       {@code --role}: what this node does
 * @param hazelcastConfig {@code --cluster-config FILE}: a Hazelcast XML or YAML file instead of the members list
 */
public record ClusterConfig(boolean enabled, List<String> members, int port, String host, Role role,
                            Optional<Path> hazelcastConfig) {

    public static final int DEFAULT_PORT = 5701;

    /** What a node of the fleet does. */
    public enum Role {
        /** Holds connections (HTTP, WebSocket, WHIP) and viewers; sends speech to workers. */
        EDGE,
        /** Runs recognizers and translators for the rooms placed on it. */
        WORKER,
        /** Both (the default). */
        ALL;

        public boolean edge() {
            return this != WORKER;
        }

        public boolean worker() {
            return this != EDGE;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role parse(String s) {
            return switch (s) {
                case "all" -> ALL;
                case "edge" -> EDGE;
                case "worker" -> WORKER;
                default -> throw new IllegalArgumentException("--role takes all, edge or worker, not '" + s + "'");
            };
        }
    }

    public ClusterConfig {
        members = List.copyOf(members);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--cluster-port must be between 1 and 65535, not " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--cluster-host must not be empty");
        }
        for (String m : members) {
            int colon = m.lastIndexOf(':');
            if (colon <= 0 || !m.substring(colon + 1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("--cluster-members takes HOST:PORT,... and '" + m + "' is not HOST:PORT");
            }
        }
        hazelcastConfig.ifPresent(f -> {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("--cluster-config " + f + " cannot be read");
            }
        });
    }

    /** Checks that the options make sense together; returns this. */
    public ClusterConfig checked() {
        if (!enabled && (role != Role.ALL || !members.isEmpty() || hazelcastConfig.isPresent())) {
            throw new IllegalArgumentException("--role, --cluster-members and --cluster-config are for a fleet: add --cluster");
        }
        if (enabled && members.isEmpty() && hazelcastConfig.isEmpty()) {
            throw new IllegalArgumentException("--cluster needs the fleet's members (--cluster-members HOST:PORT,...) or a"
                    + " Hazelcast file (--cluster-config FILE): Parley does not look for them by multicast");
        }
        return this;
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(false, List.of(), DEFAULT_PORT, "127.0.0.1", Role.ALL, Optional.empty());
    }

    public ClusterConfig withEnabled(boolean on) {
        return new ClusterConfig(on, members, port, host, role, hazelcastConfig);
    }

    public ClusterConfig withMembers(String list) {
        List<String> all = new ArrayList<>(members);
        for (String m : list.split(",")) {
            if (!m.isBlank()) {
                all.add(m.strip());
            }
        }
        return new ClusterConfig(enabled, all, port, host, role, hazelcastConfig);
    }

    public ClusterConfig withPort(int p) {
        return new ClusterConfig(enabled, members, p, host, role, hazelcastConfig);
    }

    public ClusterConfig withHost(String h) {
        return new ClusterConfig(enabled, members, port, h, role, hazelcastConfig);
    }

    public ClusterConfig withRole(String r) {
        return new ClusterConfig(enabled, members, port, host, Role.parse(r), hazelcastConfig);
    }

    public ClusterConfig withHazelcastConfig(Path file) {
        return new ClusterConfig(enabled, members, port, host, role, Optional.of(file));
    }
}
