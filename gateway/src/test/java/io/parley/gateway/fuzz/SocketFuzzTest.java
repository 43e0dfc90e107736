package io.parley.gateway.fuzz;

import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.gateway.config.ConnectionLimits;
import io.parley.gateway.e2e.TestGateway;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More than ten thousand hostile inputs over real sockets to a running gateway: HTTP requests
 * with mangled methods, paths, tokens and bodies (WHIP offers among them), and speaker and viewer
 * sockets fed mangled frames and queries. The gateway must stay up and keep captioning, answer
 * every one with a documented error code (never a 500), and hold its memory: the heap after a full
 * GC may grow by at most {@link #HEAP_GROWTH_BOUND} over the run.
 */
class SocketFuzzTest {

    /** Rooms made during the run stay open (their state is small); the rest must not grow. */
    static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;
    static final Set<String> DOCUMENTED = ErrorCodes.all();
    static final Set<String> SERVER_MESSAGES = Set.of("ready", "stopped", "caption", "error", "closing");

    final Map<String, Integer> codes = new ConcurrentHashMap<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inputs = new AtomicInteger();

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    void answered(String what, String body) {
        if (body == null || body.isBlank()) {
            return;
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException e) {
            return; // not JSON: a page or a transcript
        }
        if ("error".equals(json.getString("type"))) {
            String code = String.valueOf(json.getValue("code"));
            codes.merge(code, 1, Integer::sum);
            if (!DOCUMENTED.contains(code)) {
                violations.add(what + " answered with an undocumented code: " + body);
            }
        }
    }

    @Test
    void tenThousandHostileInputsOverSocketsLeaveTheGatewayUpAndCaptioning() throws Exception {
        TestGateway base = TestGateway.shared();
        // Every request comes from this one address: its rate is not what is fuzzed here.
        // And a speaker may run 1 s ahead of real time (not 10): the noise it streams is recognised
        // all the same, and the run should not wait long for that.
        io.parley.gateway.config.Limits l = base.config.limits();
        TestGateway gw = base.withConfig(base.config.withConnections(new ConnectionLimits(10_000, 10_000, 100_000, 100_000,
                Duration.ofSeconds(120), Duration.ofSeconds(10), 64 * 1024, 8 * 1024))
                .withLimits(new io.parley.gateway.config.Limits(l.maxAudioFrameBytes(), l.maxTextFrameBytes(),
                        l.maxWebSocketFrameBytes(), l.maxMessagesPerSecond(), 1.0, l.viewerSoftQueueBytes(),
                        l.viewerHardQueueBytes(), l.speakerIdleTimeout(), l.viewerPingInterval(), l.viewerIdleTimeout(),
                        l.socketSendBufferBytes())));
        try {
            JsonObject room = gw.createRoom();
            long t0 = System.nanoTime();
            warmUp(gw);
            long before = heapAfterGc();
            long t1 = System.nanoTime();
            httpRequests(gw, room, 5200);
            long t2 = System.nanoTime();
            speakerSockets(gw, room, 5, 800);
            long t3 = System.nanoTime();
            viewerSockets(gw, room, 1200, 500);
            long t4 = System.nanoTime();
            System.out.printf("socket fuzzing took: warm-up %.1f s, HTTP %.1f s, speakers %.1f s, viewers %.1f s%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);

            System.out.println("socket fuzzing: " + inputs.get() + " inputs; error codes " + new TreeMap<>(codes));
            assertEquals(List.of(), violations.subList(0, Math.min(20, violations.size())));
            assertTrue(inputs.get() >= 10_000, "ten thousand inputs: " + inputs.get());
            assertTrue(gw.healthy(), "still up");

            // Still captioning: a real clip in a fresh room ends in a final, once the fuzzing speakers'
            // streams (their noise still being recognised after they vanished) have ended.
            long deadline = System.currentTimeMillis() + 120_000;
            long waitStart = System.nanoTime();
            while (gw.engines.recognizer().stats().activeSessions() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            System.out.printf("the fuzzing speakers' streams ended %.1f s after the fuzzing%n", (System.nanoTime() - waitStart) / 1e9);
            JsonObject fresh = gw.createRoom();
            SocketClient viewer = SocketClient.connect(gw.ws("/v1/rooms/" + fresh.getString("room") + "/captions"),
                    fresh.getString("viewerToken"));
            Speaker speaker = Speaker.start(gw, fresh.getString("room"), fresh.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
            speaker.sendClip(WavFile.read(EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0880.wav").wav()));
            speaker.sendSilence(1.0, 16000);
            speaker.stop();
            viewer.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final") && !j.getString("text").isBlank(), 30_000);

            long after = heapAfterGc();
            System.out.printf("heap after a full GC: %.1f MiB before, %.1f MiB after%n", before / 1048576.0, after / 1048576.0);
            assertTrue(after - before < HEAP_GROWTH_BOUND, "heap grew by " + (after - before) / 1048576 + " MiB");
        } finally {
            gw.server.close();
        }
    }

    /**
     * Loads what the engines load on demand (a Sphinx4 decoder per concurrent stream, up to its
     * maximum) before the heap is measured: that is the engines' working set, bounded by their
     * configuration, not something the fuzzing leaves behind.
     */
    static void warmUp(TestGateway gw) throws Exception {
        JsonObject room = gw.createRoom();
        int streams = gw.config.sphinx().maxSessions();
        List<Speaker> speakers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            speakers.add(Speaker.start(gw, room.getString("room"), room.getString("speakerToken"), "pcm_s16le", 16000, "W" + i));
        }
        for (Speaker s : speakers) {
            s.sendSilence(0.5, 16000);
            s.stop();
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (gw.engines.recognizer().stats().activeSessions() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        heapAfterGc();
    }

    void httpRequests(TestGateway gw, JsonObject room, int n) throws Exception {
        String id = room.getString("room");
        Mutator m = new Mutator(7, List.of(
                "{\"task\":\"transcribe\",\"retention\":\"7d\",\"tokenTtl\":3600}",
                "{\"text\":\"Good morning.\",\"from\":\"en\",\"to\":\"pt\",\"room\":\"" + id + "\"}",
                "{\"terms\":[{\"term\":\"ticket\",\"translations\":{\"pt\":\"chamado\"}}],\"doNotTranslate\":[\"Parley\"]}",
                "{\"role\":\"viewer\",\"ttl\":\"2h\"}",
                "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
                        + "a=ice-ufrag:ab\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=setup:actpass\r\na=mid:0\r\na=sendonly\r\n"
                        + "a=rtpmap:111 opus/48000/2\r\n"));
        List<String> paths = List.of("/v1/rooms", "/v1/rooms/" + id, "/v1/rooms/" + id + "/transcript?format=srt&lang=es",
                "/v1/rooms/" + id + "/glossary", "/v1/rooms/" + id + "/tokens", "/v1/rooms/" + id + "/whip", "/v1/translate",
                "/v1/languages", "/v1/whip/0123456789abcdef01234567", "/healthz", "/metrics", "/widget.js", "/index.html");
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND");
        List<String> tokens = new ArrayList<>(List.of(room.getString("viewerToken"), room.getString("speakerToken"), "", "x.y.z",
                "Bearer", room.getString("viewerToken") + "x"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < n; i++) {
            var r = m.random();
            String path = paths.get(r.nextInt(paths.size()));
            if (r.nextInt(4) == 0) {
                path = path.replace(id, m.noise(r.nextInt(12)).replaceAll("[^A-Za-z0-9_%.-]", "%2F"));
            }
            if (r.nextInt(6) == 0) {
                path += (path.contains("?") ? "&" : "?") + "lang=" + m.noise(4).replaceAll("[^a-z]", "") + "&since=" + m.text()
                        .replaceAll("[^0-9-]", "");
            }
            String method = methods.get(r.nextInt(methods.size()));
            String body = r.nextInt(5) == 0 ? null : m.text();
            // DELETE of the fuzzed room would end the run's room; it is tested elsewhere.
            if (method.equals("DELETE") && path.matches("/v1/rooms/" + id + "(\\?.*)?")) {
                method = "GET";
            }
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(gw.http(path))).timeout(Duration.ofSeconds(30))
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            } catch (IllegalArgumentException unsendable) {
                continue; // a URI the client itself refuses to send
            }
            String token = tokens.get(r.nextInt(tokens.size()));
            if (!token.isEmpty()) {
                b.header("Authorization", r.nextInt(8) == 0 ? token : "Bearer " + token);
            }
            if (body != null) {
                b.header("Content-Type", body.startsWith("v=0") ? "application/sdp" : "application/json");
            }
            HttpResponse<String> resp;
            try {
                resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                violations.add("no answer in 30 s to " + method + " " + path + " (token " + token + ") body: " + body);
                throw new AssertionError(violations.getLast(), e);
            }
            inputs.incrementAndGet();
            if (resp.statusCode() >= 500 && resp.statusCode() != 503) {
                violations.add(method + " " + path + " -> " + resp.statusCode() + " " + resp.body());
            }
            answered(method + " " + path, resp.body());
        }
    }

    /** A socket that records what the server says, closing or not. */
    static final class Listener implements WebSocket.Listener {
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        final StringBuilder partial = new StringBuilder();
        volatile boolean closed;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed = true;
        }
    }

    void checkMessages(String what, Listener l) {
        for (String t : List.copyOf(l.texts)) {
            JsonObject j;
            try {
                j = new JsonObject(t);
            } catch (RuntimeException e) {
                violations.add(what + " sent something that is not JSON: " + t);
                continue;
            }
            if (!SERVER_MESSAGES.contains(j.getString("type"))) {
                violations.add(what + " sent an unknown message type: " + t);
            }
            answered(what, t);
        }
    }

    WebSocket open(TestGateway gw, String path, String token, Listener l) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(gw.ws(path)), l).get(10, TimeUnit.SECONDS);
    }

    void speakerSockets(TestGateway gw, JsonObject room, int sockets, int framesEach) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            int seed = 100 + s;
            threads.add(Thread.ofPlatform().start(() -> {
                Mutator m = new Mutator(seed, List.of(
                        "{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":16000,\"channels\":1,\"language\":\"en\",\"speaker\":\"F\"}",
                        "{\"type\":\"start\",\"format\":\"opus\",\"sampleRate\":48000,\"channels\":1}",
                        "{\"type\":\"keepalive\"}", "{\"type\":\"stop\"}"));
                try {
                    Listener l = new Listener();
                    WebSocket ws = open(gw, "/v1/rooms/" + room.getString("room") + "/speak", room.getString("speakerToken"), l);
                    for (int i = 0; i < framesEach; i++) {
                        if (l.closed || ws.isOutputClosed()) {
                            checkMessages("speaker socket", l);
                            ws.abort(); // the JDK leaves a closed socket's TCP connection open otherwise
                            l = new Listener();
                            ws = open(gw, "/v1/rooms/" + room.getString("room") + "/speak", room.getString("speakerToken"), l);
                        }
                        try {
                            if (m.random().nextInt(3) == 0) {
                                ws.sendText(m.text(), true).get(5, TimeUnit.SECONDS);
                            } else {
                                // 20 ms of PCM at most, now and then far more than a frame may hold.
                                ws.sendBinary(ByteBuffer.wrap(m.bytes(i % 97 == 0 ? 70_000 : 640)), true).get(5, TimeUnit.SECONDS);
                            }
                        } catch (Exception closedMeanwhile) {
                            l.closed = true;
                        }
                        inputs.incrementAndGet();
                        Thread.sleep(6); // under the frame rate most of the time, over it now and then
                    }
                    Thread.sleep(500);
                    checkMessages("speaker socket", l);
                    ws.abort();
                } catch (Exception e) {
                    violations.add("speaker socket fuzzing failed: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    void viewerSockets(TestGateway gw, JsonObject room, int frames, int queries) throws Exception {
        Mutator m = new Mutator(300, List.of("{\"type\":\"keepalive\"}", "{\"type\":\"ping\"}", "es", "10", "-1"));
        String captions = "/v1/rooms/" + room.getString("room") + "/captions";
        Listener l = new Listener();
        WebSocket ws = open(gw, captions, room.getString("viewerToken"), l);
        for (int i = 0; i < frames; i++) {
            if (l.closed || ws.isOutputClosed()) {
                checkMessages("viewer socket", l);
                ws.abort();
                l = new Listener();
                ws = open(gw, captions, room.getString("viewerToken"), l);
            }
            try {
                if (m.random().nextBoolean()) {
                    ws.sendText(m.text(), true).get(5, TimeUnit.SECONDS);
                } else {
                    ws.sendBinary(ByteBuffer.wrap(m.bytes(2000)), true).get(5, TimeUnit.SECONDS);
                }
            } catch (Exception closedMeanwhile) {
                l.closed = true;
            }
            inputs.incrementAndGet();
            Thread.sleep(6);
        }
        checkMessages("viewer socket", l);
        ws.abort();
        for (int i = 0; i < queries; i++) {
            String query = "?lang=" + m.text() + "&since=" + m.text() + "&last=" + m.text();
            String encoded = query.chars().mapToObj(c -> c == '?' || c == '&' || c == '=' ? String.valueOf((char) c)
                    : java.net.URLEncoder.encode(String.valueOf((char) c), java.nio.charset.StandardCharsets.UTF_8))
                    .reduce("", String::concat);
            Listener q = new Listener();
            try {
                WebSocket v = open(gw, captions + encoded, room.getString("viewerToken"), q);
                long deadline = System.currentTimeMillis() + 2000;
                while (q.texts.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
                v.abort();
            } catch (Exception refused) {
                // an upgrade refused outright is an answer too
            }
            inputs.incrementAndGet();
            checkMessages("viewer query", q);
        }
    }
}
