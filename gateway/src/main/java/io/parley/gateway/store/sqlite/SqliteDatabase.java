package io.parley.gateway.store.sqlite;

import io.parley.gateway.store.Schema;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The SQLite file and the threads that use it. SQLite has one writer at a time, so every write
 * runs on one thread with one connection; reads run beside it on connections of their own (WAL
 * lets readers see the last commit without waiting for the writer). JDBC blocks, so none of it
 * runs on the caller's thread: each call returns a future.
 */
final class SqliteDatabase implements AutoCloseable {

    private static final int READERS = 2;

    /** A unit of work on a connection. */
    interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final Connection writer;
    private final ExecutorService writes;
    private final ExecutorService reads;
    private final List<Connection> readerConnections = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
    private final int schemaVersion;

    SqliteDatabase(Path file) throws SQLException {
        this.file = file;
        this.writer = connect(file);
        try (Statement s = writer.createStatement()) {
            // WAL: readers never wait for the writer; FULL: the WAL is fsynced at every commit.
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
        }
        this.schemaVersion = migrate(writer);
        this.writes = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-sqlite-writer").daemon().factory());
        this.reads = Executors.newFixedThreadPool(READERS, Thread.ofPlatform().name("parley-sqlite-reader-", 0).daemon().factory());
    }

    Path file() {
        return file;
    }

    int schemaVersion() {
        return schemaVersion;
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    private static int migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(Schema.VERSION_TABLE_SQLITE);
        }
        int current;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM parley_schema")) {
            rs.next();
            current = rs.getInt(1);
        }
        if (current > Schema.latest()) {
            throw new SQLException(Schema.tooNew(current));
        }
        for (Schema.Migration m : Schema.MIGRATIONS) {
            if (m.version() <= current) {
                continue;
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : m.sqlite()) {
                    s.execute(sql);
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO parley_schema VALUES (?, ?, ?)")) {
                    p.setInt(1, m.version());
                    p.setString(2, m.description());
                    p.setLong(3, System.currentTimeMillis());
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new SQLException("migration " + m.version() + " (" + m.description() + ") failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
            current = m.version();
        }
        return current;
    }

    <T> CompletableFuture<T> write(Sql<T> work) {
        return submit(() -> {
            try {
                return work.run(writer);
            } catch (SQLException e) {
                throw new StoreException("SQLite: " + e.getMessage(), e);
            }
        }, writes);
    }

    /** A write of several statements that commit together. */
    <T> CompletableFuture<T> transaction(Sql<T> work) {
        return write(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    <T> CompletableFuture<T> read(Sql<T> work) {
        return submit(() -> {
            try {
                return work.run(readerConnection());
            } catch (SQLException e) {
                throw new StoreException("SQLite: " + e.getMessage(), e);
            }
        }, reads);
    }

    private Connection readerConnection() throws SQLException {
        Connection c = readerConnection.get();
        if (c == null) {
            c = connect(file);
            readerConnection.set(c);
            readerConnections.add(c);
        }
        return c;
    }

    private static <T> CompletableFuture<T> submit(Supplier<T> work, ExecutorService on) {
        try {
            return CompletableFuture.supplyAsync(work, on);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return Store.failed(new StoreException("the store is closed"));
        }
    }

    @Override
    public void close() {
        writes.shutdown();
        reads.shutdown();
        try {
            writes.awaitTermination(10, TimeUnit.SECONDS);
            reads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (Connection c : readerConnections) {
                c.close();
            }
            writer.close();
        } catch (SQLException e) {
            throw new StoreException("closing the SQLite store: " + e.getMessage(), e);
        }
    }
}
