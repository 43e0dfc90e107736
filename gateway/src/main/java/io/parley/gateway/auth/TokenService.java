package io.parley.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Room tokens: JWTs with the claims {@code room}, {@code role} ({@code speaker}, {@code viewer}
 * or {@code admin}), {@code exp} and {@code iat}, and the signing key's id as {@code kid} in the
 * header. Any holder of the key can mint them (a host application, as Jitsi's JWT rooms do), and
 * any node can verify them without asking anyone. Signing and verifying use vertx-auth-jwt.
 */
public final class TokenService {

    /** Room ids: what Parley makes, and what a host application may name. */
    public static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Clock difference allowed between the minting host and this server. */
    static final long LEEWAY_SECONDS = 30;

    private final JWTAuth signer;
    private final JWTAuth verifier;
    private final TokenKeys keys;
    private final Duration maxLifetime;

    private TokenService(JWTAuth signer, JWTAuth verifier, TokenKeys keys, Duration maxLifetime) {
        this.signer = signer;
        this.verifier = verifier;
        this.keys = keys;
        this.maxLifetime = maxLifetime;
    }

    /**
     * @param maxLifetime the longest a token may run: one that expires later than this from now
     *                    is refused, which bounds how long a closed room must be remembered
     */
    public static TokenService create(Vertx vertx, TokenKeys keys, Duration maxLifetime) {
        JWTAuthOptions verifying = new JWTAuthOptions().setJWTOptions(new JWTOptions().setLeeway((int) LEEWAY_SECONDS));
        keys.keys().forEach(k -> verifying.addPubSecKey(k.verifying()));
        // Signing with one key only: given several of one algorithm, vertx-auth-jwt picks at random.
        JWTAuthOptions signing = new JWTAuthOptions().addPubSecKey(keys.signer().signing());
        return new TokenService(JWTAuth.create(vertx, signing), JWTAuth.create(vertx, verifying), keys, maxLifetime);
    }

    public String signingKeyId() {
        return keys.signer().id();
    }

    public String signingAlgorithm() {
        return keys.signer().algorithm();
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** A token for {@code room} ({@code *}: every room, admin only) good for {@code ttl}. */
    public String mint(String room, Role role, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("a token lives between 1 s and " + maxLifetime.toSeconds() + " s");
        }
        return signer.generateToken(new JsonObject().put("room", room).put("role", role.claim()),
                new JWTOptions().setAlgorithm(keys.signer().algorithm()).setExpiresInSeconds((int) ttl.toSeconds()));
    }

    /** Checks a token's signature, times and claims. */
    public TokenClaims verify(String token) throws TokenRejected {
        if (token == null || token.isEmpty() || token.length() > 8192 || token.chars().filter(c -> c == '.').count() != 2) {
            throw new TokenRejected("not a signed token (a JWT)");
        }
        Future<User> checked;
        try {
            checked = verifier.authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            throw new TokenRejected("not a valid token");
        }
        // The JWT provider answers at once: there is no I/O in checking a signature.
        if (!checked.isComplete() || checked.failed()) {
            String why = checked.cause() == null ? "" : String.valueOf(checked.cause().getMessage());
            throw new TokenRejected(why.contains("expired") ? "the token has expired" : "the token's signature or format is not valid");
        }
        JsonObject claims = checked.result().attributes().getJsonObject("accessToken");
        if (claims == null) {
            throw new TokenRejected("the token carries no claims");
        }
        Object room = claims.getValue("room");
        if (!(room instanceof String r) || !(r.equals(TokenClaims.ANY_ROOM) || ROOM_ID.matcher(r).matches())) {
            throw new TokenRejected("the token's \"room\" claim must be a room id");
        }
        Role role = Role.fromClaim(claims.getValue("role"))
                .orElseThrow(() -> new TokenRejected("the token's \"role\" claim must be speaker, viewer or admin"));
        if (r.equals(TokenClaims.ANY_ROOM) && role != Role.ADMIN) {
            throw new TokenRejected("only an admin token may name every room (\"*\")");
        }
        long now = System.currentTimeMillis() / 1000;
        if (!(claims.getValue("exp") instanceof Number exp)) {
            throw new TokenRejected("the token must expire (an \"exp\" claim)");
        }
        if (exp.longValue() - now > maxLifetime.toSeconds() + LEEWAY_SECONDS) {
            throw new TokenRejected("the token lives longer than this server allows (" + maxLifetime.toDays() + " days)");
        }
        long iat = claims.getValue("iat") instanceof Number n ? n.longValue() : 0;
        if (iat > now + LEEWAY_SECONDS) {
            throw new TokenRejected("the token was issued in the future (\"iat\")");
        }
        String kid = null;
        try {
            String header = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                    java.nio.charset.StandardCharsets.UTF_8);
            kid = new JsonObject(header).getString("kid");
        } catch (RuntimeException ignored) {
            // the signature was good; the header's key id is only for the record
        }
        return new TokenClaims(r, role, exp.longValue(), iat, kid);
    }
}
