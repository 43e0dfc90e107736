package io.parley.gateway.config;

import io.parley.gateway.room.RoomPolicy;

import java.time.Duration;

/**
 * What rooms may hold and how long they live.
 *
 * @param maxRooms            rooms open in this gateway's memory at once (the store may hold more)
 * @param maxViewersPerRoom   viewers of one room
 * @param maxSpeakersPerRoom  speaker streams in one room
 * @param maxLanguagesPerRoom languages one room is translated into (each translates every final)
 * @param maxStoredFinals     finals a room keeps per language (the newest; older ones are deleted)
 * @param lastFinalsOnJoin    finals replayed to a viewer that connects without {@code since}
 * @param roomIdleTimeout     a room nobody is connected to, with no activity, closes after this
 * @param channelIdleTimeout  a language nobody reads stops being translated after this
 * @param translationTimeout  a final not translated within this is delivered untranslated
 * @param drainTimeout        closing a room, or stopping the server, waits at most this for the
 *                            speakers' last finals
 */
public record RoomLimits(int maxRooms, int maxViewersPerRoom, int maxSpeakersPerRoom, int maxLanguagesPerRoom,
                         int maxStoredFinals, int lastFinalsOnJoin, Duration roomIdleTimeout,
                         Duration channelIdleTimeout, Duration translationTimeout, Duration drainTimeout) {

    public static RoomLimits defaults() {
        return new RoomLimits(1000, 500, 8, 12, 20_000, 10, Duration.ofHours(12), Duration.ofMinutes(2),
                Duration.ofSeconds(30), Duration.ofSeconds(20));
    }

    public RoomLimits {
        Check.between("maxRooms", maxRooms, 1, 1_000_000);
        Check.between("maxViewersPerRoom", maxViewersPerRoom, 1, 1_000_000);
        Check.between("maxSpeakersPerRoom", maxSpeakersPerRoom, 1, 1000);
        Check.between("maxLanguagesPerRoom", maxLanguagesPerRoom, 1, 200);
        Check.between("maxStoredFinals", maxStoredFinals, 10, 100_000_000);
        Check.between("lastFinalsOnJoin", lastFinalsOnJoin, 0, 1000);
        Check.between("roomIdleTimeout", roomIdleTimeout, Duration.ofSeconds(10), Duration.ofDays(3650));
        Check.between("channelIdleTimeout", channelIdleTimeout, Duration.ofSeconds(1), Duration.ofDays(1));
        Check.between("translationTimeout", translationTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        Check.between("drainTimeout", drainTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
    }

    public RoomPolicy policy() {
        return new RoomPolicy(maxViewersPerRoom, maxSpeakersPerRoom, maxLanguagesPerRoom, maxStoredFinals,
                lastFinalsOnJoin, channelIdleTimeout, translationTimeout, drainTimeout);
    }
}
