package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;

import io.parley.gateway.config.WebRtcConfig;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebRTC ingest through WHIP (RFC 9725), on real libwebrtc at both ends: a client built on
 * webrtc-java offers a send-only Opus track over ICE on this host, the gateway answers, decodes
 * the track, and feeds the same recognizer as the speaker socket; viewers read the captions.
 */
class WhipIngestTest {

    /**
     * Word error rate of the English finals over the LibriVox clips sent over WebRTC. The
     * speaker-socket test holds Sphinx4 to 0.40 on the same clips sent as 16 kHz PCM; Opus at
     * the browser's bitrate and a 48 → 16 kHz resampling cost a little, so the same bound with a
     * small allowance: it fails when the track is mis-decoded (wrong rate, channels, gaps).
     */
    static final double WER_BOUND = 0.45;

    static TestGateway gw;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.shared();
    }

    static short[] pcm(WavFile wav) {
        float[] f = wav.monoSamples();
        short[] s = new short[f.length];
        for (int i = 0; i < f.length; i++) {
            s[i] = (short) Math.round(Math.max(-1f, Math.min(1f, f[i])) * 32767);
        }
        return s;
    }

    @Test
    void speechSentOverWebRtcIsCaptionedAndTranslated() throws Exception {
        JsonObject room = gw.createRoom();
        String id = room.getString("room");
        SocketClient english = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions?lang=en"), room.getString("viewerToken"));
        SocketClient spanish = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions?lang=es"), room.getString("viewerToken"));
        List<EvaluationSet.Clip> clips = EvaluationSet.locate().clips().stream()
                .filter(c -> c.name().startsWith("librivox")).toList();
        try (WhipClient client = WhipClient.create(room.getString("speakerToken"))) {
            HttpResponse<String> r = client.publish(gw.http("/v1/rooms/" + id + "/whip"), "en", "Reader");
            assertEquals(201, r.statusCode(), r::body);
            assertEquals("application/sdp", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.headers().firstValue("Location").orElse("").startsWith("/v1/whip/"));
            assertTrue(r.body().startsWith("v=0") && r.body().contains("a=candidate"), "an answer with candidates");
            // The gateway listens on loopback, so media is offered there only (libwebrtc on its own
            // would have offered every other interface and never loopback); no trickle is promised.
            List<String> candidates = r.body().lines().filter(l -> l.startsWith("a=candidate:")).toList();
            assertTrue(candidates.stream().allMatch(c -> c.contains(" udp ") && c.contains(" 127.0.0.1 ")
                    && c.contains(" typ host")), candidates::toString);
            assertTrue(r.body().contains("a=end-of-candidates"), r::body);
            assertFalse(r.body().contains("trickle"), r::body);
            JsonObject info = new JsonObject(gw.get("/v1/rooms/" + id, room.getString("viewerToken")).body());
            assertEquals("Reader", info.getJsonArray("speakers").getJsonObject(0).getString("speaker"));

            client.sendSilence(0.5);
            for (EvaluationSet.Clip clip : clips) {
                client.send(pcm(WavFile.read(clip.wav())));
                client.sendSilence(1.2);
            }
            assertEquals(200, client.delete());
            // The session is gone: a second DELETE finds nothing.
            assertEquals(404, client.delete());
        }
        String reference = clips.stream().map(EvaluationSet.Clip::reference).collect(Collectors.joining(" "));
        // Every accepted sample is recognised after DELETE: the finals keep coming, then stop.
        String heard = awaitSettled(english);
        WordErrorRate wer = WordErrorRate.of(reference, heard);
        System.out.printf("WHIP (Sphinx4): WER %.3f over %d words: %s%n", wer.rate(), wer.referenceWords(), heard);
        assertTrue(wer.rate() <= WER_BOUND, "WER " + wer.rate() + " over WebRTC: " + heard);
        spanish.await(j -> spanish.finals().size() >= english.finals().size(), 30_000);
        String spanishText = spanish.finals().stream().map(f -> f.getString("text")).collect(Collectors.joining(" "));
        assertFalse(spanishText.isBlank(), "the Spanish viewer reads a translation");
        assertTrue(spanish.finals().stream().allMatch(f -> "es".equals(f.getString("lang"))
                && "en".equals(f.getJsonObject("source").getString("lang"))));
        english.close();
        spanish.close();
    }

    @Test
    void aClientThatVanishesWithoutDeleteStillGetsItsFinal() throws Exception {
        // A short grace period, so that the test need not wait the default ten seconds.
        TestGateway quick = gw.withConfig(gw.config.withWebRtc(gw.config.webrtc().withDisconnectGrace(Duration.ofSeconds(1))
                .withMaxSessions(4)));
        JsonObject room = quick.createRoom();
        String id = room.getString("room");
        SocketClient viewer = SocketClient.connect(quick.ws("/v1/rooms/" + id + "/captions"), room.getString("viewerToken"));
        EvaluationSet.Clip clip = EvaluationSet.locate().clips().stream()
                .filter(c -> c.name().startsWith("librivox")).findFirst().orElseThrow();
        WhipClient client = WhipClient.create(room.getString("speakerToken"));
        assertEquals(201, client.publish(quick.http("/v1/rooms/" + id + "/whip"), "en", "Gone").statusCode());
        short[] pcm = pcm(WavFile.read(clip.wav()));
        // Cut mid-utterance: two thirds of the clip, then the peer connection is closed without DELETE.
        client.send(java.util.Arrays.copyOf(pcm, pcm.length * 2 / 3));
        client.close();
        JsonObject last = viewer.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final")
                && !j.getString("text").isBlank(), 60_000);
        assertTrue(last != null, "the words sent before the client vanished end in a final");
        // And the session is cleaned up: the gateway counts no WebRTC session any more.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!quick.get("/metrics", null).body().contains("parley_webrtc_sessions 0") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(quick.get("/metrics", null).body().contains("parley_webrtc_sessions 0"));
        viewer.close();
    }

    @Test
    void badOffersGetClearErrorsAndOpenNothing() throws Exception {
        JsonObject room = gw.createRoom();
        String id = room.getString("room");
        String url = gw.http("/v1/rooms/" + id + "/whip");
        String speaker = room.getString("speakerToken");
        String offer;
        try (WhipClient client = WhipClient.create(speaker)) {
            offer = client.offerSdp();
        }
        assertError(post(url, "application/json", "{}", speaker), 415, "unsupported_media_type");
        assertError(post(url, "application/sdp", "", speaker), 400, "bad_sdp");
        assertError(post(url, "application/sdp", "hello", speaker), 400, "bad_sdp");
        assertError(post(url, "application/sdp", offer.replace("a=sendonly", "a=recvonly"), speaker), 400, "bad_sdp");
        assertError(post(url, "application/sdp", offer.replaceAll("m=audio", "m=video"), speaker), 400, "bad_sdp");
        // Looks like SDP to the checks, but libwebrtc cannot use it (no ICE credentials, no fingerprint).
        assertError(post(url, "application/sdp", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n",
                speaker), 400, "bad_sdp");
        assertError(post(url + "?language=xx", "application/sdp", offer, speaker), 400, "unsupported_language");
        assertError(post(url + "?speaker=", "application/sdp", offer, speaker), 400, "invalid_request");
        assertError(post(url, "application/sdp", offer, null), 401, "unauthorized");
        assertError(post(url, "application/sdp", offer, room.getString("viewerToken")), 403, "forbidden");
        // A token opens its own room only: another room's id is refused before anything is looked up.
        assertError(post(gw.http("/v1/rooms/nope/whip"), "application/sdp", offer, speaker), 403, "forbidden");
        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/whip/abc")))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=candidate:1"))
                .header("Content-Type", "application/trickle-ice-sdpfrag").build(), HttpResponse.BodyHandlers.ofString());
        assertError(patch, 405, "method_not_allowed");
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/whip/abc")))
                .header("Authorization", "Bearer " + speaker).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertError(delete, 404, "session_not_found");
        // None of it opened a stream.
        JsonObject info = new JsonObject(gw.get("/v1/rooms/" + id, speaker).body());
        assertTrue(info.getJsonArray("speakers").isEmpty(), info::encode);
    }

    @Test
    void aClientThatNeverConnectsIsEndedAtTheConnectDeadline() throws Exception {
        // A disconnection grace far longer than the test waits: only the connect deadline can end it.
        WebRtcConfig quick = gw.config.webrtc().withConnectTimeout(Duration.ofSeconds(1))
                .withDisconnectGrace(Duration.ofMinutes(5)).withMaxSessions(8);
        TestGateway g = gw.withConfig(gw.config.withWebRtc(quick));
        try {
            JsonObject room = g.createRoom();
            String speaker = room.getString("speakerToken");
            HttpResponse<String> answered;
            try (WhipClient client = WhipClient.create(speaker)) {
                // The client takes the answer and vanishes without ever connecting.
                answered = post(g.http("/v1/rooms/" + room.getString("room") + "/whip"), "application/sdp",
                        client.offerSdp(), speaker);
            }
            assertEquals(201, answered.statusCode(), answered.body());
            String location = answered.headers().firstValue("Location").orElseThrow();
            JsonObject info = new JsonObject(g.get("/v1/rooms/" + room.getString("room"), speaker).body());
            assertEquals(1, info.getJsonArray("speakers").size(), "its stream was open");
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline
                    && !new JsonObject(g.get("/v1/rooms/" + room.getString("room"), speaker).body()).getJsonArray("speakers").isEmpty()) {
                Thread.sleep(200);
            }
            info = new JsonObject(g.get("/v1/rooms/" + room.getString("room"), speaker).body());
            assertTrue(info.getJsonArray("speakers").isEmpty(), "ended at the connect deadline: " + info.encode());
            assertTrue(g.server.metrics().render().contains("parley_client_errors_total{code=\"ice_timeout\"} 1"),
                    "counted as an ICE timeout");
            HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create(g.http(location)))
                    .header("Authorization", "Bearer " + speaker).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertError(gone, 404, "session_not_found");
            assertTrue(g.server.metrics().render().contains("parley_webrtc_sessions 0"), "no session left");
        } finally {
            g.server.close();
        }
    }

    @Test
    void withNoUdpPortToOpenTheOfferIsRefusedRatherThanAnsweredEmpty() throws Exception {
        // The one media port allowed is held by another program: no candidate could be offered.
        try (java.net.DatagramSocket squatter = new java.net.DatagramSocket(new java.net.InetSocketAddress(0))) {
            int port = squatter.getLocalPort();
            TestGateway g = gw.withConfig(gw.config.withWebRtc(gw.config.webrtc().withPorts(port + "-" + port)));
            try {
                JsonObject room = g.createRoom();
                String speaker = room.getString("speakerToken");
                HttpResponse<String> r;
                try (WhipClient client = WhipClient.create(speaker)) {
                    r = post(g.http("/v1/rooms/" + room.getString("room") + "/whip"), "application/sdp", client.offerSdp(), speaker);
                }
                assertError(r, 503, "no_ice_candidates");
                assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
                assertTrue(new JsonObject(r.body()).getString("message").contains("UDP port"), r::body);
                JsonObject info = new JsonObject(g.get("/v1/rooms/" + room.getString("room"), speaker).body());
                assertTrue(info.getJsonArray("speakers").isEmpty(), "nothing was opened: " + info.encode());
                assertTrue(g.server.metrics().render().contains("parley_webrtc_sessions 0"));
            } finally {
                g.server.close();
            }
        }
    }

    @Test
    void withWebRtcOffTheOfferIsRefusedSoThatClientsFallBack() throws Exception {
        TestGateway off = gw.withConfig(gw.config.withWebRtc(gw.config.webrtc().withEnabled(false)));
        JsonObject room = off.createRoom();
        String offer;
        try (WhipClient client = WhipClient.create(room.getString("speakerToken"))) {
            offer = client.offerSdp();
        }
        HttpResponse<String> r = post(off.http("/v1/rooms/" + room.getString("room") + "/whip"), "application/sdp", offer,
                room.getString("speakerToken"));
        assertError(r, 503, "webrtc_unavailable");
        assertTrue(new JsonObject(r.body()).getString("message").contains("speaker WebSocket"), r::body);
    }

    @Test
    void aBrowserOnAnotherOriginMayPostAndReadTheLocation() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms/x/whip")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://customer.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.statusCode() / 100 == 2, "preflight " + preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        JsonObject room = gw.createRoom();
        try (WhipClient client = WhipClient.create(room.getString("speakerToken"))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms/" + room.getString("room") + "/whip")))
                    .header("Origin", "https://customer.example").header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + room.getString("speakerToken"))
                    .POST(HttpRequest.BodyPublishers.ofString(client.offerSdp())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r::body);
            assertTrue(r.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));
            HttpResponse<Void> end = http.send(HttpRequest.newBuilder(URI.create(gw.http(r.headers().firstValue("Location").orElseThrow())))
                    .header("Authorization", "Bearer " + room.getString("speakerToken")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, end.statusCode());
        }
    }

    private static HttpResponse<String> post(String url, String type, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals(code, new JsonObject(r.body()).getString("code"), r::body);
    }

    /** The finals' text once no new final has come for a few seconds. */
    private static String awaitSettled(SocketClient viewer) throws InterruptedException {
        int count = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int now = viewer.finals().size();
            if (now != count) {
                count = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 4_000_000_000L) {
                break;
            }
            Thread.sleep(100);
        }
        return viewer.finals().stream().map(f -> f.getString("text")).filter(t -> !t.isBlank())
                .collect(Collectors.joining(" "));
    }
}
