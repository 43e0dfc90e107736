package io.parley.translate.apertium;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where Apertium is and how its processes are run, validated at start-up.
 *
 * @param dataDir          the folder holding {@code modes/*.mode} (Debian: /usr/share/apertium)
 * @param requestTimeout   a request not answered in this time means the process hung; it is restarted
 * @param maxPending       requests that may wait on one direction before new ones are refused
 */
public record ApertiumConfig(Path dataDir, Duration requestTimeout, int maxPending) {

    public static ApertiumConfig defaults() {
        String dir = System.getenv().getOrDefault("APERTIUM_DATADIR", "/usr/share/apertium");
        return new ApertiumConfig(Path.of(dir), Duration.ofSeconds(20), 1000);
    }

    public ApertiumConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("Apertium configuration: dataDir is required");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("Apertium configuration: requestTimeout must be positive, not " + requestTimeout);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("Apertium configuration: maxPending must be at least 1, not " + maxPending);
        }
    }

    public Path modesDir() {
        return dataDir.resolve("modes");
    }
}
