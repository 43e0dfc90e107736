package io.parley.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenClaimsTest {

    @Test
    void aRoomTokenIssuedBeforeTheRoomWasMadeIsVoid() {
        TokenClaims speaker = new TokenClaims("r1", Role.SPEAKER, 2_000, 1_000, null);
        assertTrue(speaker.opens("r1", Role.SPEAKER, 1_000));
        assertFalse(speaker.opens("r1", Role.SPEAKER, 1_001), "an id closed and made again revives no old token");
        assertFalse(speaker.opens("r2", Role.VIEWER, 0), "another room");
    }

    @Test
    void aServerAdminTokenOpensARoomMadeAfterItWasIssued() {
        // Seen in CI: an admin token minted the second before the room was made was refused (401).
        TokenClaims admin = new TokenClaims(TokenClaims.ANY_ROOM, Role.ADMIN, 2_000, 1_000, null);
        assertTrue(admin.opens("r1", Role.SPEAKER, 1_001));
        assertTrue(admin.opens("r1", Role.ADMIN, 0));
    }
}
