package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed room tokens on the real gateway: a host application mints its own with the gateway's
 * key and they work (the room comes into being on first use, as Jitsi's JWT rooms do); forged,
 * expired, unbounded and misdirected tokens are refused; keys rotate; EC keys sign and verify;
 * closing a room voids its tokens.
 */
class TokensTest {

    static TestGateway gw;
    static String secret;
    static String keyId;

    @BeforeAll
    static void gateway() throws Exception {
        gw = TestGateway.shared();
        // The key the gateway made in its data folder on first run: what a host application is given.
        Path key;
        try (var files = Files.list(gw.config.store().dataDir().resolve("keys"))) {
            key = files.filter(f -> f.toString().endsWith(".key")).findFirst().orElseThrow();
        }
        secret = Files.readString(key).strip();
        keyId = key.getFileName().toString().replace(".key", "");
    }

    static String newRoomId() {
        return "acme-standup-" + UUID.randomUUID().toString().substring(0, 8);
    }

    HttpResponse<String> get(TestGateway g, String path, String token) throws Exception {
        return g.get(path, token);
    }

    HttpResponse<String> send(TestGateway g, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.http(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return g.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals(code, new JsonObject(r.body()).getString("code"), r::body);
    }

    @Test
    void aHostApplicationMintsItsOwnTokensAndTheRoomComesIntoBeingOnFirstUse() throws Exception {
        String room = newRoomId();
        String speakerToken = HostJwt.hs256(secret, keyId, HostJwt.claims(room, "speaker", 3600));
        String viewerToken = HostJwt.hs256(secret, null, HostJwt.claims(room, "viewer", 3600)); // no kid: tried with every key
        SocketClient viewer = SocketClient.connect(gw.ws("/v1/rooms/" + room + "/captions?lang=es"), viewerToken);
        viewer.await(j -> "ready".equals(j.getString("type")), 10_000);
        Speaker speaker = Speaker.start(gw, room, speakerToken, "pcm_s16le", 16000, "Host app");
        speaker.sendClip(WavFile.read(EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0880.wav").wav()));
        speaker.sendSilence(1.0, 16000);
        speaker.stop();
        JsonObject fin = viewer.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final")
                && !j.getString("text").isBlank(), 30_000);
        assertEquals("es", fin.getString("lang"));
        HttpResponse<String> info = get(gw, "/v1/rooms/" + room, viewerToken);
        assertEquals(200, info.statusCode(), info.body());
        assertTrue(new JsonObject(info.body()).getLong("finals") >= 1);
    }

    @Test
    void tokensThatAreNotGoodAreRefused() throws Exception {
        JsonObject made = gw.createRoom();
        String room = made.getString("room");
        String path = "/v1/rooms/" + room;
        long now = System.currentTimeMillis() / 1000;
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims(room, "viewer", 3600).put("exp", now - 120))),
                401, "unauthorized");
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims(room, "viewer", 3600).put("exp", (Object) null))),
                401, "unauthorized");
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims(room, "viewer", 400L * 86400))),
                401, "unauthorized");
        assertError(get(gw, path, HostJwt.hs256("another secret that is long enough 123", keyId,
                HostJwt.claims(room, "viewer", 3600))), 401, "unauthorized");
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims(room, "owner", 3600))), 401, "unauthorized");
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims("*", "viewer", 3600))), 401, "unauthorized");
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims("other-room", "admin", 3600))), 403, "forbidden");
        // Tampering with the claims breaks the signature; "alg": "none" is never accepted.
        String good = made.getString("viewerToken");
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + HostJwt.b64(HostJwt.claims(room, "admin", 3600)) + "." + parts[2];
        assertError(get(gw, path, forged), 401, "unauthorized");
        String none = HostJwt.b64(new JsonObject().put("alg", "none").put("typ", "JWT")) + "."
                + HostJwt.b64(HostJwt.claims(room, "admin", 3600)) + ".";
        assertError(get(gw, path, none), 401, "unauthorized");
        assertError(get(gw, path, "not-a-token"), 401, "unauthorized");
        // A viewer token cannot speak, close, or set the glossary.
        SocketClient speak = SocketClient.connect(gw.ws(path + "/speak"), good);
        speak.awaitError("forbidden");
        assertEquals(4403, speak.awaitClose());
        assertError(send(gw, "DELETE", path, null, good), 403, "forbidden");
        assertError(send(gw, "PUT", path + "/glossary", "{}", good), 403, "forbidden");
        // Parley's own tokens name their key.
        assertEquals("HS256", HostJwt.header(good).getString("alg"));
        assertEquals(keyId, HostJwt.header(good).getString("kid"));
    }

    @Test
    void aSpeakerMintsViewerTokensButNotAdminOnes() throws Exception {
        JsonObject made = gw.createRoom();
        String path = "/v1/rooms/" + made.getString("room");
        HttpResponse<String> viewer = send(gw, "POST", path + "/tokens", "{\"role\":\"viewer\",\"ttl\":\"2h\"}",
                made.getString("speakerToken"));
        assertEquals(201, viewer.statusCode(), viewer.body());
        assertEquals(200, get(gw, path, new JsonObject(viewer.body()).getString("token")).statusCode());
        assertError(send(gw, "POST", path + "/tokens", "{\"role\":\"admin\"}", made.getString("speakerToken")), 403, "forbidden");
        assertError(send(gw, "POST", path + "/tokens", "{\"role\":\"viewer\",\"ttl\":\"400d\"}", made.getString("speakerToken")),
                400, "invalid_request");
    }

    @Test
    void keysRotateAndEcKeysSignAndVerify(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path old = dir.resolve("old.key");
        Files.writeString(old, "the-old-secret-that-hosts-still-use-0123456789\n");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = generator.generateKeyPair();
        Path current = dir.resolve("ec-2026.pem");
        Files.writeString(current, pem("PRIVATE KEY", ec.getPrivate().getEncoded()) + pem("PUBLIC KEY", ec.getPublic().getEncoded()));
        TestGateway rotated = gw.withConfig(gw.config.withSecurity(gw.config.security()
                .withJwtKey("ec-2026=" + current).withJwtKey("old=" + old)));
        try {
            JsonObject made = rotated.createRoom();
            assertEquals("ES256", HostJwt.header(made.getString("viewerToken")).getString("alg"));
            assertEquals("ec-2026", HostJwt.header(made.getString("viewerToken")).getString("kid"));
            String path = "/v1/rooms/" + made.getString("room");
            assertEquals(200, get(rotated, path, made.getString("viewerToken")).statusCode());
            // A host still on the old key, and one signing with the new EC key itself.
            assertEquals(200, get(rotated, path, HostJwt.hs256("the-old-secret-that-hosts-still-use-0123456789", "old",
                    HostJwt.claims(made.getString("room"), "viewer", 600))).statusCode());
            assertEquals(200, get(rotated, path, HostJwt.es256(ec.getPrivate(), "ec-2026",
                    HostJwt.claims(made.getString("room"), "viewer", 600))).statusCode());
            // A key id the gateway does not have is not tried against the others.
            assertError(get(rotated, path, HostJwt.hs256("the-old-secret-that-hosts-still-use-0123456789", "retired",
                    HostJwt.claims(made.getString("room"), "viewer", 600))), 401, "unauthorized");
        } finally {
            rotated.server.close();
        }
    }

    static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }

    @Test
    void closingARoomVoidsItsTokensAndTellsItsViewers() throws Exception {
        JsonObject made = gw.createRoom();
        String room = made.getString("room");
        String path = "/v1/rooms/" + room;
        SocketClient viewer = SocketClient.connect(gw.ws(path + "/captions"), made.getString("viewerToken"));
        viewer.await(j -> "ready".equals(j.getString("type")), 10_000);
        HttpResponse<String> closed = send(gw, "DELETE", path, null, made.getString("speakerToken"));
        assertEquals(200, closed.statusCode(), closed.body());
        JsonObject closing = viewer.await(j -> "closing".equals(j.getString("type")), 10_000);
        assertEquals("room_closed", closing.getString("code"));
        assertEquals(4410, viewer.awaitClose());
        assertError(get(gw, path, made.getString("viewerToken")), 410, "room_closed");
        SocketClient late = SocketClient.connect(gw.ws(path + "/captions"), made.getString("viewerToken"));
        late.awaitError("room_closed");
        assertEquals(4410, late.awaitClose());
        // Not even a host's fresh token brings it back: the id stays taken.
        assertError(get(gw, path, HostJwt.hs256(secret, keyId, HostJwt.claims(room, "speaker", 600))), 410, "room_closed");
        assertError(send(gw, "DELETE", path, null, made.getString("speakerToken")), 410, "room_closed");
    }

    @Test
    void anAdminTokenFromTheCommandLineRunsTheServer() throws Exception {
        String key = "an-api-key-that-is-long-enough";
        TestGateway locked = gw.withConfig(gw.config.withApiKey(key));
        try {
            String admin = io.parley.gateway.TokenCommandAccess.mint(new String[]{"--role", "admin",
                    "--data", locked.config.store().dataDir().toString(), "--ttl", "1h"});
            HttpResponse<String> created = send(locked, "POST", "/v1/rooms", "{\"retention\":\"1h\"}", admin);
            assertEquals(201, created.statusCode(), created.body());
            String room = new JsonObject(created.body()).getString("room");
            HttpResponse<String> list = get(locked, "/v1/rooms", admin);
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains(room), list.body());
            assertError(get(locked, "/v1/rooms", new JsonObject(created.body()).getString("speakerToken")), 401, "unauthorized");
            assertEquals(200, get(locked, "/v1/rooms/" + room, admin).statusCode(), "an admin opens any room");
            assertEquals(200, send(locked, "DELETE", "/v1/rooms/" + room, null, admin).statusCode());
            // The room kept its transcript (a retention): its operator can still export it.
            assertEquals(200, get(locked, "/v1/rooms/" + room + "/transcript?format=vtt", admin).statusCode());
            assertError(get(locked, "/v1/rooms/" + room + "/transcript", new JsonObject(created.body()).getString("viewerToken")),
                    410, "room_closed");
        } finally {
            locked.server.close();
        }
    }

    @Test
    void aGatewayReachableFromOtherMachinesWillNotStartOpen() {
        var open = gw.config.withHost("0.0.0.0");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.parley.gateway.ParleyServer.checkExposure(open));
        assertTrue(e.getMessage().contains("--insecure-open"), e.getMessage());
        io.parley.gateway.ParleyServer.checkExposure(open.withApiKey("a-key-long-enough-000"));
        io.parley.gateway.ParleyServer.checkExposure(open.withSecurity(open.security().withInsecureOpen(true)));
        List.of("127.0.0.1", "localhost", "::1").forEach(h -> io.parley.gateway.ParleyServer.checkExposure(gw.config.withHost(h)));
    }
}
