package io.parley.gateway.store;

import java.util.List;

/**
 * The database schema as an ordered list of migrations, the same for SQLite and PostgreSQL but
 * for their dialects. A database records the versions applied in {@code parley_schema}; at
 * start every missing one is applied, each in its own transaction, and a database newer than
 * this code is refused rather than misread. Migrations are only ever appended.
 */
public final class Schema {

    /** One step of the schema. */
    public record Migration(int version, String description, List<String> sqlite, List<String> postgres) {
    }

    /** Where applied versions are recorded. */
    public static final String VERSION_TABLE_SQLITE = """
            CREATE TABLE IF NOT EXISTS parley_schema (
              version INTEGER PRIMARY KEY,
              description TEXT NOT NULL,
              applied_at INTEGER NOT NULL)""";
    public static final String VERSION_TABLE_POSTGRES = """
            CREATE TABLE IF NOT EXISTS parley_schema (
              version INTEGER PRIMARY KEY,
              description TEXT NOT NULL,
              applied_at BIGINT NOT NULL)""";

    /**
     * Times are epoch milliseconds; {@code tokens_not_before} is epoch seconds, as JWT times are.
     * A final is kept whole as the JSON its viewers received (plus its stream offset), so that a
     * replay is byte for byte what was sent live.
     */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "rooms and their finals",
                    List.of("""
                            CREATE TABLE rooms (
                              id TEXT PRIMARY KEY,
                              settings TEXT NOT NULL,
                              glossary TEXT NOT NULL,
                              token_key_id TEXT,
                              tokens_not_before INTEGER NOT NULL,
                              created_at INTEGER NOT NULL,
                              last_activity INTEGER NOT NULL,
                              retention_seconds INTEGER,
                              closed_at INTEGER,
                              seq_reserved INTEGER NOT NULL)""",
                            "CREATE INDEX rooms_by_activity ON rooms (closed_at, last_activity)",
                            """
                            CREATE TABLE finals (
                              room TEXT NOT NULL,
                              stream TEXT NOT NULL,
                              seq INTEGER NOT NULL,
                              segment INTEGER NOT NULL,
                              created_at INTEGER NOT NULL,
                              caption TEXT NOT NULL,
                              PRIMARY KEY (room, stream, seq)) WITHOUT ROWID"""),
                    List.of("""
                            CREATE TABLE rooms (
                              id TEXT PRIMARY KEY,
                              settings TEXT NOT NULL,
                              glossary TEXT NOT NULL,
                              token_key_id TEXT,
                              tokens_not_before BIGINT NOT NULL,
                              created_at BIGINT NOT NULL,
                              last_activity BIGINT NOT NULL,
                              retention_seconds BIGINT,
                              closed_at BIGINT,
                              seq_reserved BIGINT NOT NULL)""",
                            "CREATE INDEX rooms_by_activity ON rooms (closed_at, last_activity)",
                            """
                            CREATE TABLE finals (
                              room TEXT NOT NULL,
                              stream TEXT NOT NULL,
                              seq BIGINT NOT NULL,
                              segment BIGINT NOT NULL,
                              created_at BIGINT NOT NULL,
                              caption TEXT NOT NULL,
                              PRIMARY KEY (room, stream, seq))""")));

    /** The version this code writes and reads. */
    public static int latest() {
        return MIGRATIONS.getLast().version();
    }

    /** The message for a database that a newer Parley has migrated. */
    public static String tooNew(int found) {
        return "the database is at schema version " + found + ", newer than this Parley understands (" + latest()
                + "); run the Parley that wrote it, or a newer one";
    }

    private Schema() {
    }
}
