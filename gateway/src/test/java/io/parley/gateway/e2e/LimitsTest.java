package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.gateway.config.ConnectionLimits;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.config.Limits;
import io.parley.gateway.config.RoomLimits;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits an operator sets, enforced on a real gateway: connections per address, request
 * rate, the header timeout, viewers that stop answering pings, speakers and languages per room,
 * and numbers that must not wrap around.
 */
class LimitsTest {

    static TestGateway gw;

    @BeforeAll
    static void gateway() throws Exception {
        TestGateway base = TestGateway.shared();
        GatewayConfig c = base.config
                .withConnections(new ConnectionLimits(1000, 500, 1000, 1000, Duration.ofSeconds(30), Duration.ofSeconds(1),
                        64 * 1024, 8 * 1024))
                .withLimits(new Limits(64 * 1024, 8 * 1024, 1024 * 1024, 200, 10.0, 64 * 1024, 1024 * 1024,
                        Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(3), 0))
                .withRooms(new RoomLimits(50, 10, 1, 1, 1000, 5, Duration.ofHours(1), Duration.ofMinutes(1),
                        Duration.ofSeconds(10), Duration.ofSeconds(5)));
        gw = base.withConfig(c);
    }

    @AfterAll
    static void stop() {
        gw.server.close();
    }

    /** A gateway of a test's own, with other connection limits, so that no other test's connections count. */
    static TestGateway withConnections(ConnectionLimits limits) throws Exception {
        return gw.withConfig(gw.config.withConnections(limits));
    }

    /** One request on a connection of its own, closed after: nothing lingers to count against the address. */
    static String rawGet(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anAddressOverItsRequestRateGets429WithRetryAfter() throws Exception {
        TestGateway rated = withConnections(new ConnectionLimits(1000, 500, 2, 8, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 64 * 1024, 8 * 1024));
        HttpClient client = HttpClient.newHttpClient();
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 12 && limited == null; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(rated.http("/healthz"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertTrue(limited != null, "the burst of 8 ran out: " + statuses);
        assertTrue(statuses.subList(0, 8).stream().allMatch(s -> s == 200), "the burst is allowed: " + statuses);
        assertEquals("too_many_requests", new JsonObject(limited.body()).getString("code"));
        assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0")) >= 1);
        Thread.sleep(1500);
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(rated.http("/healthz"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "the rate refills");
        rated.server.close();
    }

    @Test
    void anAddressOverItsConnectionsIsTurnedAway() throws Exception {
        TestGateway few = withConnections(new ConnectionLimits(1000, 3, 1000, 1000, Duration.ofSeconds(30),
                Duration.ofSeconds(20), 64 * 1024, 8 * 1024));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new Socket("127.0.0.1", few.port()));
            }
            String refused = rawGet(few.port(), "/healthz");
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(refused.contains("too_many_connections"), refused);
            held.removeFirst().close();
            // A place is free once the server has seen the close.
            String answer = "";
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline && !answer.startsWith("HTTP/1.1 200")) {
                Thread.sleep(100);
                answer = rawGet(few.port(), "/healthz");
            }
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        } finally {
            for (Socket s : held) {
                s.close();
            }
            few.server.close();
        }
    }

    @Test
    void aConnectionThatSendsNoCompleteRequestHeadIsCut() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", gw.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII)); // and no end
            out.flush();
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            long t0 = System.nanoTime();
            assertEquals(-1, in.read(), "closed by the server");
            assertTrue((System.nanoTime() - t0) / 1e9 < 8, "within the header timeout");
        }
    }

    @Test
    void aViewerThatAnswersNoPingsIsClosedOneThatDoesStays() throws Exception {
        JsonObject room = gw.createRoom();
        String captions = "/v1/rooms/" + room.getString("room") + "/captions";
        SocketClient polite = SocketClient.connect(gw.ws(captions), room.getString("viewerToken")); // the JDK answers pings
        try (RawWebSocket mute = RawWebSocket.connect(gw.port(), captions + "?token=" + room.getString("viewerToken"))) {
            int pings = 0;
            int code = 0;
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && code == 0) {
                RawWebSocket.Frame f = mute.read(15_000);
                if (f == null) {
                    code = -1;
                } else if (f.opcode() == RawWebSocket.Frame.PING) {
                    pings++;
                } else if (f.opcode() == RawWebSocket.Frame.CLOSE) {
                    code = f.closeCode();
                }
            }
            assertTrue(pings >= 1, "it was pinged");
            assertEquals(4000, code, "closed as idle");
        }
        assertFalse(polite.closed.isDone(), "a viewer that answers stays");
        polite.close();
    }

    @Test
    void speakersAndLanguagesPerRoomAreCapped() throws Exception {
        JsonObject room = gw.createRoom();
        String id = room.getString("room");
        Speaker first = Speaker.start(gw, id, room.getString("speakerToken"), "pcm_s16le", 16000, "One");
        SocketClient second = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/speak"), room.getString("speakerToken"));
        second.sendText(new JsonObject().put("type", "start").put("format", "pcm_s16le").put("sampleRate", 16000)
                .put("channels", 1).put("language", "en").put("speaker", "Two").encode());
        second.awaitError("capacity_reached");
        first.stop();

        SocketClient es = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions?lang=es"), room.getString("viewerToken"));
        es.await(j -> "ready".equals(j.getString("type")), 10_000);
        SocketClient fr = SocketClient.connect(gw.ws("/v1/rooms/" + id + "/captions?lang=fr"), room.getString("viewerToken"));
        fr.awaitError("capacity_reached");
        assertEquals(4429, fr.awaitClose());
    }

    @Test
    void numbersThatWouldWrapAroundAreRefused() throws Exception {
        JsonObject room = gw.createRoom();
        SocketClient s = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/speak"),
                room.getString("speakerToken"));
        // 4294983296 is 2^32 + 16000: cast to an int it would be 16000.
        s.sendText("{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":4294983296,\"channels\":1}");
        s.awaitError("invalid_request");
        s.sendText("{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":16000,\"channels\":4294967297}");
        s.await(j -> s.ofType("error").size() >= 2, 5000);
        s.sendText("{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":1e300,\"channels\":1}");
        s.await(j -> s.ofType("error").size() >= 3, 5000);
        assertTrue(s.ofType("ready").isEmpty(), "none of those started a stream");
        SocketClient v = SocketClient.connect(gw.ws("/v1/rooms/" + room.getString("room") + "/captions?since=99999999999999999999"),
                room.getString("viewerToken"));
        v.awaitError("invalid_request");
        assertEquals(4400, v.awaitClose());
    }
}
