package io.parley.gateway.e2e;

import com.sun.net.httpserver.HttpServer;
import io.parley.gateway.config.FileLimits;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deepgram's {@code {"url": ...}} requests: refused with a clear message unless the operator
 * allows URL sources, and then fetched (from a real HTTP server on loopback), bounded, and
 * transcribed like an upload.
 */
class DeepgramUrlSourceTest {

    static final HttpClient http = HttpClient.newHttpClient();

    static HttpResponse<String> listen(TestGateway g, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(g.http("/v1/listen?model=nova-3")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void urlSourcesAreOffUnlessAllowedAndThenFetchedWithinTheLimits() throws Exception {
        EvaluationSet.Clip clip = EvaluationSet.locate().clips().stream().filter(c -> c.name().startsWith("librivox"))
                .findFirst().orElseThrow();
        byte[] wav = Files.readAllBytes(clip.wav());
        HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/clip.wav", ex -> {
            ex.sendResponseHeaders(200, wav.length);
            ex.getResponseBody().write(wav);
            ex.close();
        });
        files.start();
        String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/clip.wav";
        TestGateway gw = TestGateway.shared();
        try {
            HttpResponse<String> off = listen(gw, new JsonObject().put("url", url).encode());
            assertEquals(400, off.statusCode(), off::body);
            assertTrue(new JsonObject(off.body()).getString("err_msg").contains("allowUrlSources"), off::body);

            TestGateway on = gw.withConfig(gw.config.withFiles(new FileLimits(wav.length + 1000L, 600, Duration.ofMinutes(1),
                    1L << 30, 2, true)));
            try {
                HttpResponse<String> r = listen(on, new JsonObject().put("url", url).encode());
                assertEquals(200, r.statusCode(), r::body);
                String transcript = new JsonObject(r.body()).getJsonObject("results").getJsonArray("channels").getJsonObject(0)
                        .getJsonArray("alternatives").getJsonObject(0).getString("transcript");
                assertTrue(WordErrorRate.of(clip.reference(), transcript).rate() <= 0.45, transcript);
                HttpResponse<String> notHttp = listen(on, new JsonObject().put("url", "file:///etc/passwd").encode());
                assertEquals(400, notHttp.statusCode(), notHttp::body);
                HttpResponse<String> missing = listen(on, new JsonObject().put("url", url.replace("/clip.wav", "/missing.wav")).encode());
                assertEquals(400, missing.statusCode(), missing::body);
                HttpResponse<String> badJson = listen(on, "{\"url\":");
                assertEquals("bad_json", new JsonObject(badJson.body()).getString("parley_code"), badJson::body);
            } finally {
                on.server.close();
            }
            TestGateway small = gw.withConfig(gw.config.withFiles(new FileLimits(wav.length / 2, 600, Duration.ofMinutes(1),
                    1L << 30, 2, true)));
            try {
                HttpResponse<String> big = listen(small, new JsonObject().put("url", url).encode());
                assertEquals(413, big.statusCode(), big::body);
                assertEquals("upload_too_large", new JsonObject(big.body()).getString("parley_code"));
            } finally {
                small.server.close();
            }
        } finally {
            files.stop(0);
        }
    }
}
