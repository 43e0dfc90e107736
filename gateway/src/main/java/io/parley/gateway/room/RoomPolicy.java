package io.parley.gateway.room;

import java.time.Duration;

/**
 * What a room allows and keeps, from the gateway's limits.
 *
 * @param maxViewers          viewers at once
 * @param maxSpeakers         speaker streams at once
 * @param maxLanguages        languages a room's captions are translated into (each costs a
 *                            translation of every final)
 * @param maxStoredFinals     finals kept per language (the newest); older ones are deleted
 * @param lastFinalsOnJoin    finals replayed to a viewer that comes without {@code since}
 * @param channelIdle         a language nobody has watched for this long stops being translated;
 *                            a viewer who asks for it again gets the finals it missed translated then
 * @param translationTimeout  a final whose translation takes longer is delivered untranslated
 * @param drainTimeout        how long closing a room (or the server) waits for speakers' last finals
 */
public record RoomPolicy(int maxViewers, int maxSpeakers, int maxLanguages, int maxStoredFinals, int lastFinalsOnJoin,
                         Duration channelIdle, Duration translationTimeout, Duration drainTimeout) {

    public RoomPolicy {
        if (maxViewers < 1 || maxSpeakers < 1 || maxLanguages < 1 || maxStoredFinals < 1 || lastFinalsOnJoin < 0) {
            throw new IllegalArgumentException("room limits must be positive");
        }
    }
}
