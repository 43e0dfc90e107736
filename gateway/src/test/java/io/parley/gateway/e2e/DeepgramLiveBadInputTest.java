package io.parley.gateway.e2e;

import io.parley.testkit.SocketClient;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile or mistaken input on Deepgram's live socket: refused at the handshake where the request
 * itself is wrong, closed as Deepgram closes (1008 DATA-0000) where the audio is, answered and
 * kept open where a message is merely unknown. The SDK tests in {@code compat/} cover the
 * well-behaved client.
 */
class DeepgramLiveBadInputTest {

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.shared();
    }

    @Test
    void aWrongParameterIsRefusedAtTheHandshake() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create(gw.ws("/v1/listen?encoding=linear16&sample_rate=12345")),
                        new java.net.http.WebSocket.Listener() { }).get());
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(400, refused.getResponse().statusCode());
        assertTrue(String.valueOf(refused.getResponse().body()).contains("unsupported_sample_rate"));
    }

    @Test
    void audioThatIsNotWhatWasAnnouncedClosesTheStreamAsDeepgramDoes() throws Exception {
        // No encoding: a WAV container is expected; this is text.
        SocketClient noHeader = SocketClient.connect(gw.ws("/v1/listen"), null);
        noHeader.sendBinary("this is not audio at all, just words typed into a socket".getBytes());
        assertEquals(1008, noHeader.awaitClose());
        // encoding=opus: an Ogg Opus stream is expected; these bytes are not one.
        SocketClient notOgg = SocketClient.connect(gw.ws("/v1/listen?encoding=opus"), null);
        notOgg.sendBinary(new byte[4096]);
        assertEquals(1008, notOgg.awaitClose());
        // Both ended with Deepgram's closing Metadata, as after any stream.
        assertTrue(notOgg.messages.stream().anyMatch(m -> "Metadata".equals(m.json().getString("type"))), notOgg.messages::toString);
    }

    @Test
    void anUnknownMessageIsAnsweredAndTheStreamGoesOn() throws Exception {
        SocketClient s = SocketClient.connect(gw.ws("/v1/listen?encoding=linear16&sample_rate=16000"), null);
        s.sendText("{\"type\":\"Shout\"}");
        s.sendText("not json");
        JsonObject error = s.await(m -> "Error".equals(m.getString("type")), 10_000);
        assertTrue(error.getString("description").contains("KeepAlive"));
        s.sendText("{\"type\":\"KeepAlive\"}");
        s.sendBinary(new byte[3200]); // 100 ms of silence: still taken
        s.sendText("{\"type\":\"CloseStream\"}");
        assertEquals(1000, s.awaitClose());
        JsonObject metadata = s.await(m -> "Metadata".equals(m.getString("type")), 10_000);
        assertEquals(0.1, metadata.getDouble("duration"), 0.001);
    }
}
