package io.parley.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token lets its holder do, each role allowing what the ones below it do. */
public enum Role {
    /** Read a room's captions, transcript and glossary. */
    VIEWER,
    /** Also speak, set the glossary, mint viewer tokens and close the room. */
    SPEAKER,
    /** Everything, in its room or (with {@code "room": "*"}) in every room; create rooms, translate text. */
    ADMIN;

    public boolean allows(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromClaim(Object value) {
        if (value instanceof String s) {
            for (Role r : values()) {
                if (r.claim().equals(s)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }
}
