package io.parley.gateway.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The two secrets of a room: the speaker token lets a client speak (and watch); the viewer
 * token lets it watch. 128 random bits each, compared in constant time.
 */
public record RoomTokens(String speakerToken, String viewerToken) {

    /** What a presented token allows. */
    public enum Access { NONE, VIEWER, SPEAKER }

    private static final SecureRandom RANDOM = new SecureRandom();

    public static RoomTokens generate() {
        return new RoomTokens(randomToken(), randomToken());
    }

    static String randomToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Access check(String presented) {
        if (presented == null) {
            return Access.NONE;
        }
        if (same(presented, speakerToken)) {
            return Access.SPEAKER;
        }
        if (same(presented, viewerToken)) {
            return Access.VIEWER;
        }
        return Access.NONE;
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
