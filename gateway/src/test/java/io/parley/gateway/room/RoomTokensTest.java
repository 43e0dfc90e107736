package io.parley.gateway.room;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RoomTokensTest {

    @Test
    void speakerTokenAllowsSpeakingViewerTokenOnlyWatching() {
        RoomTokens t = RoomTokens.generate();
        assertEquals(RoomTokens.Access.SPEAKER, t.check(t.speakerToken()));
        assertEquals(RoomTokens.Access.VIEWER, t.check(t.viewerToken()));
        assertEquals(RoomTokens.Access.NONE, t.check("guess"));
        assertEquals(RoomTokens.Access.NONE, t.check(null));
        assertNotEquals(t.speakerToken(), t.viewerToken());
        assertEquals(22, t.speakerToken().length(), "128 bits, base64url");
    }
}
