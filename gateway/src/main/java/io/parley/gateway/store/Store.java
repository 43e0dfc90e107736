package io.parley.gateway.store;

import java.util.concurrent.CompletableFuture;

/**
 * The gateway's durable state: rooms and transcripts, in one database. SQLite in the data
 * folder by default ({@link io.parley.gateway.store.sqlite.SqliteStore}); PostgreSQL for a
 * store that several processes share ({@link io.parley.gateway.store.postgres.PostgresStore}).
 */
public interface Store extends RoomStore, TranscriptStore, AutoCloseable {

    /** Where the data lives, for the start-up listing and logs (never with a password). */
    String describe();

    /** The schema version the database is at. */
    int schemaVersion();

    /** Waits for writes under way, then releases the database. */
    @Override
    void close();

    /** A future failed with {@code e}, for implementations. */
    static <T> CompletableFuture<T> failed(Throwable e) {
        return CompletableFuture.failedFuture(e instanceof StoreException ? e : new StoreException(e.getMessage(), e));
    }
}
