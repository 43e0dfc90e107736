package io.parley.testkit;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client from the JDK (not Vert.x, so that the server is tested against a client
 * it shares no code with) that keeps every message it receives with its arrival time.
 */
public class SocketClient implements WebSocket.Listener, AutoCloseable {

    /** A received JSON message and when it arrived (System.nanoTime()). */
    public record Received(JsonObject json, long nanos) {
    }

    public final List<Received> messages = new CopyOnWriteArrayList<>();
    /** Completes with the close code when the server closes the socket (-1 on an error). */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    public static SocketClient connect(String url, String token) throws Exception {
        return connect(HttpClient.newHttpClient(), url, token);
    }

    /** Over a given client (one that trusts a test's own certificate authority, say). */
    public static SocketClient connect(HttpClient http, String url, String token) throws Exception {
        SocketClient c = new SocketClient();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        c.socket = b.buildAsync(URI.create(url), c).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(new Received(new JsonObject(partial.toString()), System.nanoTime()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        try {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("send failed; socket closed with " + closed.getNow(null)
                    + " after " + messages.subList(Math.max(0, messages.size() - 3), messages.size()), e);
        }
    }

    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    /** Drops the TCP connection without a close handshake, as a crashed client would. */
    public void abort() {
        socket.abort();
    }

    public List<JsonObject> ofType(String type) {
        return messages.stream().map(Received::json).filter(j -> type.equals(j.getString("type"))).toList();
    }

    public List<JsonObject> finals() {
        return ofType("caption").stream().filter(j -> j.getBoolean("final")).toList();
    }

    /** Waits until a message matches, and returns it. */
    public JsonObject await(Predicate<JsonObject> match, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (Received r : messages) {
                if (match.test(r.json())) {
                    return r.json();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching message in " + timeoutMillis + " ms; got " + messages);
    }

    public JsonObject awaitError(String code) throws InterruptedException {
        return await(j -> "error".equals(j.getString("type")) && code.equals(j.getString("code")), 10_000);
    }

    public int awaitClose() throws Exception {
        return closed.get(20, TimeUnit.SECONDS);
    }
}
