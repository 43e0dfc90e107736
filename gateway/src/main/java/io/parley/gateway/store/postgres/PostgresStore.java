package io.parley.gateway.store.postgres;

import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.room.Caption;
import io.parley.gateway.store.RoomRecord;
import io.parley.gateway.store.Schema;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shared store: PostgreSQL through Vert.x's reactive client, for gateways that share their
 * rooms. A commit completes when PostgreSQL has committed it (its own durability settings
 * apply: with the defaults, {@code fsync} and {@code synchronous_commit} on, it is on disk).
 *
 * <p>Nothing blocks: queries are pipelined on a small pool of connections and their results
 * complete on Vert.x's threads.
 */
public final class PostgresStore implements Store {

    /** Serialises migrations of gateways starting together against one database. */
    private static final long MIGRATION_LOCK = 0x7061726c6579L; // "parley"

    private final Pool pool;
    private final String description;
    private final int schemaVersion;

    private PostgresStore(Pool pool, String description, int schemaVersion) {
        this.pool = pool;
        this.description = description;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Connects to {@code uri} ({@code postgresql://USER@HOST:PORT/DB}; a password comes from the
     * URI or, better, from {@code PGPASSWORD}) and migrates the schema, waiting up to
     * {@code timeout}. Called at start-up, not on an event loop.
     */
    public static PostgresStore open(Vertx vertx, String uri, Duration timeout) {
        PgConnectOptions connect;
        try {
            connect = PgConnectOptions.fromUri(uri);
        } catch (IllegalArgumentException e) {
            throw new StoreException("--store: not a PostgreSQL URI (postgresql://USER@HOST:PORT/DB): " + e.getMessage());
        }
        boolean passwordInUri = uri.matches("^[a-z]+://[^/@]*:[^/@]*@.*");
        String envPassword = System.getenv("PGPASSWORD");
        if (!passwordInUri) {
            connect.setPassword(envPassword == null ? "" : envPassword);
        }
        connect.setReconnectAttempts(2).setReconnectInterval(500);
        String description = "PostgreSQL " + connect.getUser() + "@" + connect.getHost() + ":" + connect.getPort()
                + "/" + connect.getDatabase();
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(8).setName("parley-store")
                        .setConnectionTimeout((int) Math.max(1, timeout.toSeconds())).setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(connect)
                .using(vertx)
                .build();
        try {
            int version = migrate(pool).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new PostgresStore(pool, description, version);
        } catch (Exception e) {
            pool.close();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new StoreException("cannot open the store " + description + ": "
                    + (cause instanceof java.util.concurrent.TimeoutException ? "no answer in " + timeout.toSeconds() + " s"
                    : cause.getMessage()), cause);
        }
    }

    private static Future<Integer> migrate(Pool pool) {
        // Quiet PostgreSQL's "already exists, skipping" notices: they are the normal case.
        return pool.withTransaction(c -> c.query("SET LOCAL client_min_messages = warning").execute()
                .compose(v -> c.query("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")").execute())
                .compose(v -> c.query(Schema.VERSION_TABLE_POSTGRES).execute())
                .compose(v -> c.query("SELECT COALESCE(MAX(version), 0) FROM parley_schema").execute())
                .compose(rows -> {
                    int current = rows.iterator().next().getInteger(0);
                    if (current > Schema.latest()) {
                        return Future.failedFuture(new StoreException(Schema.tooNew(current)));
                    }
                    Future<Void> chain = Future.succeededFuture();
                    for (Schema.Migration m : Schema.MIGRATIONS) {
                        if (m.version() <= current) {
                            continue;
                        }
                        for (String sql : m.postgres()) {
                            chain = chain.compose(v -> c.query(sql).execute().mapEmpty());
                        }
                        chain = chain.compose(v -> c.preparedQuery("INSERT INTO parley_schema VALUES ($1, $2, $3)")
                                .execute(Tuple.of(m.version(), m.description(), System.currentTimeMillis())).mapEmpty());
                    }
                    return chain.map(v -> Schema.latest());
                }));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    // ---- plumbing ----

    private static <T> CompletableFuture<T> java(Future<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(ar.result());
            } else {
                out.completeExceptionally(new StoreException("PostgreSQL: " + ar.cause().getMessage(), ar.cause()));
            }
        });
        return out;
    }

    private CompletableFuture<RowSet<Row>> run(String sql, Tuple args) {
        return java(pool.preparedQuery(sql).execute(args));
    }

    private static Long epochMillis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    // ---- rooms ----

    @Override
    public CompletableFuture<Boolean> insert(RoomRecord r) {
        return run("INSERT INTO rooms (id, settings, glossary, token_key_id, tokens_not_before, created_at, last_activity,"
                        + " retention_seconds, closed_at, seq_reserved) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                        + " ON CONFLICT (id) DO NOTHING",
                Tuple.from(new Object[]{r.id(), r.settings(), r.glossary(), r.tokenKeyId(), r.tokensNotBefore(),
                        r.created().toEpochMilli(), r.lastActivity().toEpochMilli(),
                        r.retention() == null ? null : r.retention().toSeconds(), epochMillis(r.closedAt()), r.seqReserved()}))
                .thenApply(rows -> rows.rowCount() == 1);
    }

    @Override
    public CompletableFuture<Optional<RoomRecord>> find(String id) {
        return run("SELECT * FROM rooms WHERE id = $1", Tuple.of(id))
                .thenApply(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(room(rows.iterator().next())));
    }

    private static RoomRecord room(Row row) {
        Long retention = row.getLong("retention_seconds");
        Long closed = row.getLong("closed_at");
        return new RoomRecord(row.getString("id"), row.getString("settings"), row.getString("glossary"),
                row.getString("token_key_id"), row.getLong("tokens_not_before"),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("last_activity")),
                retention == null ? null : Duration.ofSeconds(retention), closed == null ? null : Instant.ofEpochMilli(closed),
                row.getLong("seq_reserved"));
    }

    @Override
    public CompletableFuture<Void> updateGlossary(String id, String glossary) {
        return run("UPDATE rooms SET glossary = $1 WHERE id = $2", Tuple.of(glossary, id)).thenApply(rows -> null);
    }

    @Override
    public CompletableFuture<Void> touch(String id, Instant when) {
        return run("UPDATE rooms SET last_activity = GREATEST(last_activity, $1) WHERE id = $2",
                Tuple.of(when.toEpochMilli(), id)).thenApply(rows -> null);
    }

    @Override
    public CompletableFuture<Void> reserveSeq(String id, long upTo) {
        return run("UPDATE rooms SET seq_reserved = GREATEST(seq_reserved, $1) WHERE id = $2", Tuple.of(upTo, id))
                .thenApply(rows -> null);
    }

    @Override
    public CompletableFuture<Boolean> close(String id, Instant when) {
        return run("UPDATE rooms SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL", Tuple.of(when.toEpochMilli(), id))
                .thenApply(rows -> rows.rowCount() == 1);
    }

    @Override
    public CompletableFuture<List<String>> idleSince(Instant cutoff) {
        return run("SELECT id FROM rooms WHERE closed_at IS NULL AND last_activity < $1", Tuple.of(cutoff.toEpochMilli()))
                .thenApply(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    @Override
    public CompletableFuture<List<RoomRecord>> openRooms(int limit) {
        return run("SELECT * FROM rooms WHERE closed_at IS NULL ORDER BY created_at DESC LIMIT $1", Tuple.of(limit))
                .thenApply(rows -> {
                    List<RoomRecord> out = new ArrayList<>();
                    rows.forEach(row -> out.add(room(row)));
                    return out;
                });
    }

    @Override
    public CompletableFuture<Integer> purge(Instant now, Instant tombstonesBefore) {
        long nowMs = now.toEpochMilli();
        long before = tombstonesBefore.toEpochMilli();
        return java(pool.withTransaction((SqlConnection c) -> c.preparedQuery(
                        "DELETE FROM finals f USING rooms r WHERE f.room = r.id AND r.retention_seconds IS NOT NULL"
                                + " AND f.created_at < $1 - r.retention_seconds * 1000").execute(Tuple.of(nowMs))
                .compose(a -> c.preparedQuery("DELETE FROM finals WHERE room IN (SELECT id FROM rooms WHERE closed_at < $1)")
                        .execute(Tuple.of(before)).map(b -> a.rowCount() + b.rowCount()))
                .compose(n -> c.preparedQuery("DELETE FROM rooms WHERE closed_at < $1").execute(Tuple.of(before))
                        .map(r -> n + r.rowCount()))));
    }

    // ---- finals ----

    @Override
    public CompletableFuture<Void> append(String room, String stream, Caption fin) {
        return run("INSERT INTO finals (room, stream, seq, segment, created_at, caption) VALUES ($1, $2, $3, $4, $5, $6)"
                        + " ON CONFLICT (room, stream, seq) DO NOTHING",
                Tuple.of(room, stream, fin.seq(), fin.segment(), System.currentTimeMillis(), CaptionJson.toStored(fin)))
                .thenApply(rows -> null);
    }

    @Override
    public CompletableFuture<List<Caption>> page(String room, String stream, long afterSeq, int limit) {
        return run("SELECT caption FROM finals WHERE room = $1 AND stream = $2 AND seq > $3 ORDER BY seq LIMIT $4",
                Tuple.of(room, stream, afterSeq, limit)).thenApply(PostgresStore::captions);
    }

    @Override
    public CompletableFuture<List<Caption>> latest(String room, String stream, int n) {
        return run("SELECT caption FROM finals WHERE room = $1 AND stream = $2 ORDER BY seq DESC LIMIT $3",
                Tuple.of(room, stream, n)).thenApply(rows -> {
                    List<Caption> newestFirst = captions(rows);
                    Collections.reverse(newestFirst);
                    return newestFirst;
                });
    }

    private static List<Caption> captions(RowSet<Row> rows) {
        List<Caption> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(CaptionJson.fromStored(row.getString(0))));
        return out;
    }

    @Override
    public CompletableFuture<Map<String, StreamState>> streams(String room) {
        return run("SELECT stream, COUNT(*), MAX(seq), MAX(segment) FROM finals WHERE room = $1 GROUP BY stream",
                Tuple.of(room)).thenApply(rows -> {
                    Map<String, StreamState> out = new LinkedHashMap<>();
                    rows.forEach(row -> out.put(row.getString(0),
                            new StreamState(row.getLong(1), row.getLong(2), row.getLong(3))));
                    return out;
                });
    }

    @Override
    public CompletableFuture<Integer> trim(String room, String stream, int keep) {
        return run("DELETE FROM finals WHERE room = $1 AND stream = $2 AND seq <"
                        + " (SELECT MIN(seq) FROM (SELECT seq FROM finals WHERE room = $1 AND stream = $2"
                        + " ORDER BY seq DESC LIMIT $3) newest)",
                Tuple.of(room, stream, Math.max(1, keep))).thenApply(RowSet::rowCount);
    }

    @Override
    public CompletableFuture<Void> deleteTranscript(String room) {
        return run("DELETE FROM finals WHERE room = $1", Tuple.of(room)).thenApply(rows -> null);
    }

    @Override
    public void close() {
        try {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StoreException("closing the PostgreSQL store: " + e.getMessage(), e);
        }
    }
}
