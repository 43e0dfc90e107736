package io.parley.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may do what, and over what.
 *
 * @param apiKey          if set, creating rooms and translating text need {@code Authorization:
 *                        Bearer <apiKey>} (or an admin token)
 * @param jwtKeys         token keys as {@code [ID=]FILE} (the first that can sign signs); empty:
 *                        the data folder's own, made on first run
 * @param tlsCert         PEM certificate chain for HTTPS/WSS; empty: plain HTTP
 * @param tlsKey          PEM private key of {@code tlsCert}
 * @param insecureOpen    allow listening beyond loopback with no API key (anyone may make rooms)
 * @param tokenTtl        lifetime of the tokens Parley hands out with a new room
 * @param maxTokenLifetime the longest any token may run, also how long a closed room is
 *                        remembered so that its tokens stay refused
 */
public record SecurityConfig(Optional<String> apiKey, List<String> jwtKeys, Optional<Path> tlsCert, Optional<Path> tlsKey,
                             boolean insecureOpen, Duration tokenTtl, Duration maxTokenLifetime) {

    public SecurityConfig {
        jwtKeys = List.copyOf(jwtKeys);
        if (apiKey.isPresent() && apiKey.get().length() < 16) {
            throw new IllegalArgumentException("an API key must be at least 16 characters long");
        }
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        for (Optional<Path> p : List.of(tlsCert, tlsKey)) {
            if (p.isPresent() && !Files.isReadable(p.get())) {
                throw new IllegalArgumentException("cannot read " + p.get() + " (given for TLS)");
            }
        }
        if (maxTokenLifetime.compareTo(Duration.ofMinutes(1)) < 0 || maxTokenLifetime.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("--max-token-lifetime must be between 1m and 366d");
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero() || tokenTtl.compareTo(maxTokenLifetime) > 0) {
            throw new IllegalArgumentException("--token-ttl must be positive and at most --max-token-lifetime ("
                    + Durations.format(maxTokenLifetime) + ")");
        }
    }

    public static SecurityConfig defaults() {
        return new SecurityConfig(Optional.empty(), List.of(), Optional.empty(), Optional.empty(), false,
                Duration.ofHours(24), Duration.ofDays(30));
    }

    public boolean tls() {
        return tlsCert.isPresent();
    }

    public SecurityConfig withApiKey(String key) {
        return new SecurityConfig(Optional.ofNullable(key), jwtKeys, tlsCert, tlsKey, insecureOpen, tokenTtl, maxTokenLifetime);
    }

    public SecurityConfig withJwtKey(String spec) {
        List<String> keys = new java.util.ArrayList<>(jwtKeys);
        keys.add(spec);
        return new SecurityConfig(apiKey, keys, tlsCert, tlsKey, insecureOpen, tokenTtl, maxTokenLifetime);
    }

    public SecurityConfig withTls(Path cert, Path key) {
        return new SecurityConfig(apiKey, jwtKeys, Optional.ofNullable(cert), Optional.ofNullable(key), insecureOpen, tokenTtl,
                maxTokenLifetime);
    }

    public SecurityConfig withInsecureOpen(boolean open) {
        return new SecurityConfig(apiKey, jwtKeys, tlsCert, tlsKey, open, tokenTtl, maxTokenLifetime);
    }

    public SecurityConfig withTokenTtl(Duration ttl) {
        return new SecurityConfig(apiKey, jwtKeys, tlsCert, tlsKey, insecureOpen, ttl, maxTokenLifetime);
    }

    public SecurityConfig withMaxTokenLifetime(Duration max) {
        return new SecurityConfig(apiKey, jwtKeys, tlsCert, tlsKey, insecureOpen, tokenTtl, max);
    }
}
