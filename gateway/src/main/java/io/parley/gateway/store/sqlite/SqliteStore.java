package io.parley.gateway.store.sqlite;

import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.room.Caption;
import io.parley.gateway.store.RoomRecord;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.StoreException;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded store: one SQLite file in the data folder, in WAL mode with {@code synchronous=FULL},
 * so that a commit is on disk (the WAL fsynced) before it completes: neither {@code kill -9} nor a
 * power cut loses a committed final. The statements are here; the file, its connections and
 * threads are {@link SqliteDatabase}'s.
 */
public final class SqliteStore implements Store {

    /** The database file's name in the data folder. */
    public static final String FILE = "parley.db";

    private final SqliteDatabase db;

    private SqliteStore(SqliteDatabase db) {
        this.db = db;
    }

    /** Opens (creating and migrating as needed) the store in {@code dataDir}. */
    public static SqliteStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return new SqliteStore(new SqliteDatabase(file));
        } catch (SQLException e) {
            throw new StoreException("cannot open the SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "SQLite " + db.file() + " (WAL, synchronous=FULL)";
    }

    @Override
    public int schemaVersion() {
        return db.schemaVersion();
    }

    private <T> CompletableFuture<T> write(SqliteDatabase.Sql<T> work) {
        return db.write(work);
    }

    private <T> CompletableFuture<T> transaction(SqliteDatabase.Sql<T> work) {
        return db.transaction(work);
    }

    private <T> CompletableFuture<T> read(SqliteDatabase.Sql<T> work) {
        return db.read(work);
    }

    // ---- rooms ----

    @Override
    public CompletableFuture<Boolean> insert(RoomRecord r) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO rooms (id, settings, glossary, token_key_id,"
                    + " tokens_not_before, created_at, last_activity, retention_seconds, closed_at, seq_reserved)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                p.setString(1, r.id());
                p.setString(2, r.settings());
                p.setString(3, r.glossary());
                p.setString(4, r.tokenKeyId());
                p.setLong(5, r.tokensNotBefore());
                p.setLong(6, r.created().toEpochMilli());
                p.setLong(7, r.lastActivity().toEpochMilli());
                if (r.retention() == null) {
                    p.setNull(8, Types.BIGINT);
                } else {
                    p.setLong(8, r.retention().toSeconds());
                }
                if (r.closedAt() == null) {
                    p.setNull(9, Types.BIGINT);
                } else {
                    p.setLong(9, r.closedAt().toEpochMilli());
                }
                p.setLong(10, r.seqReserved());
                return p.executeUpdate() == 1;
            }
        });
    }

    @Override
    public CompletableFuture<Optional<RoomRecord>> find(String id) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM rooms WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(room(rs)) : Optional.empty();
                }
            }
        });
    }

    private static RoomRecord room(ResultSet rs) throws SQLException {
        long retention = rs.getLong("retention_seconds");
        boolean noRetention = rs.wasNull();
        long closed = rs.getLong("closed_at");
        boolean open = rs.wasNull();
        return new RoomRecord(rs.getString("id"), rs.getString("settings"), rs.getString("glossary"),
                rs.getString("token_key_id"), rs.getLong("tokens_not_before"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("last_activity")),
                noRetention ? null : Duration.ofSeconds(retention), open ? null : Instant.ofEpochMilli(closed),
                rs.getLong("seq_reserved"));
    }

    @Override
    public CompletableFuture<Void> updateGlossary(String id, String glossary) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE rooms SET glossary = ? WHERE id = ?")) {
                p.setString(1, glossary);
                p.setString(2, id);
                p.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Void> touch(String id, Instant when) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE rooms SET last_activity = MAX(last_activity, ?) WHERE id = ?")) {
                p.setLong(1, when.toEpochMilli());
                p.setString(2, id);
                p.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Void> reserveSeq(String id, long upTo) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE rooms SET seq_reserved = MAX(seq_reserved, ?) WHERE id = ?")) {
                p.setLong(1, upTo);
                p.setString(2, id);
                p.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> close(String id, Instant when) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE rooms SET closed_at = ? WHERE id = ? AND closed_at IS NULL")) {
                p.setLong(1, when.toEpochMilli());
                p.setString(2, id);
                return p.executeUpdate() == 1;
            }
        });
    }

    @Override
    public CompletableFuture<List<String>> idleSince(Instant cutoff) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM rooms WHERE closed_at IS NULL AND last_activity < ?")) {
                p.setLong(1, cutoff.toEpochMilli());
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    @Override
    public CompletableFuture<List<RoomRecord>> openRooms(int limit) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT * FROM rooms WHERE closed_at IS NULL ORDER BY created_at DESC LIMIT ?")) {
                p.setInt(1, limit);
                List<RoomRecord> rooms = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rooms.add(room(rs));
                    }
                }
                return rooms;
            }
        });
    }

    @Override
    public CompletableFuture<Integer> purge(Instant now, Instant tombstonesBefore) {
        return transaction(c -> {
            int deleted = 0;
            // Per room, so that each delete walks one room's part of the primary key.
            List<String[]> due = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, retention_seconds FROM rooms WHERE retention_seconds IS NOT NULL");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    due.add(new String[]{rs.getString(1), Long.toString(rs.getLong(2))});
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM finals WHERE room = ? AND created_at < ?")) {
                for (String[] room : due) {
                    p.setString(1, room[0]);
                    p.setLong(2, now.toEpochMilli() - Long.parseLong(room[1]) * 1000);
                    deleted += p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM finals WHERE room IN (SELECT id FROM rooms WHERE closed_at < ?)")) {
                p.setLong(1, tombstonesBefore.toEpochMilli());
                deleted += p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM rooms WHERE closed_at < ?")) {
                p.setLong(1, tombstonesBefore.toEpochMilli());
                deleted += p.executeUpdate();
            }
            return deleted;
        });
    }

    // ---- finals ----

    @Override
    public CompletableFuture<Void> append(String room, String stream, Caption fin) {
        String json = CaptionJson.toStored(fin);
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO finals (room, stream, seq, segment, created_at, caption) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (room, stream, seq) DO NOTHING")) {
                p.setString(1, room);
                p.setString(2, stream);
                p.setLong(3, fin.seq());
                p.setLong(4, fin.segment());
                p.setLong(5, System.currentTimeMillis());
                p.setString(6, json);
                p.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<List<Caption>> page(String room, String stream, long afterSeq, int limit) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT caption FROM finals WHERE room = ? AND stream = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                p.setString(1, room);
                p.setString(2, stream);
                p.setLong(3, afterSeq);
                p.setInt(4, limit);
                return captions(p);
            }
        });
    }

    @Override
    public CompletableFuture<List<Caption>> latest(String room, String stream, int n) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT caption FROM finals WHERE room = ? AND stream = ? ORDER BY seq DESC LIMIT ?")) {
                p.setString(1, room);
                p.setString(2, stream);
                p.setInt(3, n);
                List<Caption> newestFirst = captions(p);
                Collections.reverse(newestFirst);
                return newestFirst;
            }
        });
    }

    private static List<Caption> captions(PreparedStatement p) throws SQLException {
        List<Caption> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(CaptionJson.fromStored(rs.getString(1)));
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Map<String, StreamState>> streams(String room) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT stream, COUNT(*), MAX(seq), MAX(segment) FROM finals WHERE room = ? GROUP BY stream")) {
                p.setString(1, room);
                Map<String, StreamState> out = new LinkedHashMap<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new StreamState(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public CompletableFuture<Integer> trim(String room, String stream, int keep) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM finals WHERE room = ? AND stream = ? AND seq <"
                    + " (SELECT MIN(seq) FROM (SELECT seq FROM finals WHERE room = ? AND stream = ? ORDER BY seq DESC LIMIT ?))")) {
                p.setString(1, room);
                p.setString(2, stream);
                p.setString(3, room);
                p.setString(4, stream);
                p.setInt(5, Math.max(1, keep));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public CompletableFuture<Void> deleteTranscript(String room) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM finals WHERE room = ?")) {
                p.setString(1, room);
                p.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
