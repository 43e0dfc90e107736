package io.parley.gateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A room as the store keeps it. Settings and glossary are JSON texts that the room layer reads
 * and writes, so that a new setting needs no schema change.
 *
 * @param id              the room's id (also the {@code room} claim of its tokens)
 * @param settings        the room's settings as JSON (task, ...)
 * @param glossary        the room's glossary as JSON ({@code {"terms":[],"doNotTranslate":[]}})
 * @param tokenKeyId      id of the key that signed the tokens handed out when the room was made
 * @param tokensNotBefore tokens issued (their {@code iat}) before this epoch second are refused,
 *                        so that closing and reopening an id never revives an old token
 * @param created         when the room was made
 * @param lastActivity    last time someone spoke, watched or changed it (kept to the minute)
 * @param retention       how long a final is kept; null: until the room closes, then deleted
 * @param closedAt        when the room was closed; null while it is open. A closed room stays
 *                        as a tombstone so that its tokens stay refused
 * @param seqReserved     the room's captions are numbered below this; after a restart numbering
 *                        continues from here, so that no seq a viewer saw is ever reused
 */
public record RoomRecord(String id, String settings, String glossary, String tokenKeyId, long tokensNotBefore,
                         Instant created, Instant lastActivity, Duration retention, Instant closedAt,
                         long seqReserved) {

    public RoomRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(glossary, "glossary");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastActivity, "lastActivity");
    }

    public boolean open() {
        return closedAt == null;
    }
}
