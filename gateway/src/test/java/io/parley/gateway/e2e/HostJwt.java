package io.parley.gateway.e2e;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Tokens minted the way a host application would, with nothing of Parley's: the JOSE compact
 * form written out by hand over the JDK's HMAC and ECDSA. If Parley accepts these, any JWT
 * library a host uses (jsonwebtoken, PyJWT, jjwt) will do.
 */
public final class HostJwt {

    private HostJwt() {
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(JsonObject json) {
        return b64(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    /** An HS256 token; {@code kid} may be null. */
    public static String hs256(String secret, String kid, JsonObject claims) throws Exception {
        JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        String signingInput = b64(header) + "." + b64(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An ES256 token (P-256; the signature as JOSE's r || s). */
    public static String es256(PrivateKey key, String kid, JsonObject claims) throws Exception {
        String signingInput = b64(new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid)) + "." + b64(claims);
        Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
        ecdsa.initSign(key);
        ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(ecdsa.sign());
    }

    /** {"room", "role", "iat": now, "exp": now + ttl}. */
    public static JsonObject claims(String room, String role, long ttlSeconds) {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("room", room).put("role", role).put("iat", now).put("exp", now + ttlSeconds);
    }

    /** The JSON header of a token. */
    public static JsonObject header(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8));
    }
}
