package io.parley.gateway.auth;

/**
 * A verified token's claims.
 *
 * @param room  the room it opens, or {@code *} for an admin token of the whole server
 * @param role  what it allows there
 * @param exp   expiry, epoch seconds
 * @param iat   when it was issued, epoch seconds; 0 when the issuer left it out
 * @param keyId the key that signed it, if the token named one
 */
public record TokenClaims(String room, Role role, long exp, long iat, String keyId) {

    /** The claim that makes an admin token good for every room. */
    public static final String ANY_ROOM = "*";

    /**
     * Whether this token opens {@code roomId} for {@code needed}, given that the room's tokens
     * issued before {@code notBefore} are void (so that an id closed and made again never revives
     * an old token). A server admin's token names no room, so no room's age voids it: minted
     * before a room was made, it still opens it.
     */
    public boolean opens(String roomId, Role needed, long notBefore) {
        if (isServerAdmin()) {
            return true;
        }
        return room.equals(roomId) && role.allows(needed) && (iat == 0 || iat >= notBefore);
    }

    public boolean isServerAdmin() {
        return role == Role.ADMIN && room.equals(ANY_ROOM);
    }
}
