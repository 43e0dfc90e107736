package io.parley.gateway.store;

import io.parley.gateway.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract on SQLite, in a temporary data folder. */
class SqliteStoreTest extends StoreContract {

    @TempDir
    static Path dataDir;
    static SqliteStore store;

    @BeforeAll
    static void open() {
        store = SqliteStore.open(dataDir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    Store store() {
        return store;
    }

    @Test
    void whatWasCommittedIsThereAfterReopeningAndTheDatabaseIsInWalMode(@TempDir Path dir) throws Exception {
        SqliteStore first = SqliteStore.open(dir);
        String id = newId();
        await(first.insert(room(id, null)));
        await(first.append(id, TranscriptStore.ORIGINAL, fin(1, "en", "kept")));
        first.close();
        SqliteStore again = SqliteStore.open(dir);
        try {
            assertTrue(await(again.find(id)).isPresent());
            assertEquals("kept", await(again.page(id, TranscriptStore.ORIGINAL, 0, 10)).getFirst().text());
            assertEquals(1, again.schemaVersion());
        } finally {
            again.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void aDatabaseFromANewerParleyIsRefused(@TempDir Path dir) throws Exception {
        SqliteStore.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE));
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO parley_schema VALUES (99, 'from the future', 0)");
        }
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> SqliteStore.open(dir));
        assertTrue(e.getMessage().contains("newer than this Parley"), e.getMessage());
    }
}
