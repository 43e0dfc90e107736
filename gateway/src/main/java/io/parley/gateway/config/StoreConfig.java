package io.parley.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Parley keeps what must outlive it.
 *
 * @param dataDir     the data folder: the SQLite store, the token keys Parley made, a lock
 *                    that keeps a second gateway off it
 * @param postgresUri a shared PostgreSQL store ({@code postgresql://USER@HOST:PORT/DB}); empty:
 *                    SQLite in the data folder
 */
public record StoreConfig(Path dataDir, Optional<String> postgresUri) {

    public StoreConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("a data folder is needed (--data DIR)");
        }
        postgresUri.ifPresent(uri -> {
            if (!uri.startsWith("postgresql://") && !uri.startsWith("postgres://")) {
                throw new IllegalArgumentException("--store takes postgresql://USER@HOST:PORT/DB (or sqlite, the default), not '"
                        + uri.replaceAll(":[^/@]*@", ":***@") + "'");
            }
        });
    }

    /** {@code $XDG_DATA_HOME/parley}, else {@code ~/.local/share/parley}. */
    public static StoreConfig defaults() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return new StoreConfig(base.resolve("parley"), Optional.empty());
    }

    public StoreConfig withDataDir(Path dir) {
        return new StoreConfig(dir, postgresUri);
    }

    /** {@code sqlite} or a PostgreSQL URI. */
    public StoreConfig withStore(String spec) {
        return new StoreConfig(dataDir, spec.equals("sqlite") ? Optional.empty() : Optional.of(spec));
    }
}
