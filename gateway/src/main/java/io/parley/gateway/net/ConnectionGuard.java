package io.parley.gateway.net;

import io.parley.gateway.config.ConnectionLimits;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's door: counts connections in all and per address, cuts a connection that has not
 * sent a complete request head within the header timeout (slow-loris), and turns away the
 * requests of connections over a limit and of addresses over their request rate, each with its
 * error: 503 {@code too_many_connections}, 429 {@code too_many_requests} with Retry-After.
 */
public final class ConnectionGuard {

    private final Vertx vertx;
    private final ConnectionLimits limits;
    private final GatewayMetrics metrics;
    private final RequestRate rate;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    /** Connections over a limit: their first request is answered with the error, then they are closed. */
    private final Map<HttpConnection, Boolean> over = new ConcurrentHashMap<>();
    /** Connections that have not yet sent a request head, with their timer. */
    private final Map<HttpConnection, Long> awaitingHead = new ConcurrentHashMap<>();

    public ConnectionGuard(Vertx vertx, ConnectionLimits limits, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.limits = limits;
        this.metrics = metrics;
        this.rate = new RequestRate(limits.httpRequestsPerSecond(), limits.httpRequestBurst());
        metrics.gauge("parley_connections", "Open TCP connections.", total::get);
    }

    static String address(SocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        String host = remote.hostAddress();
        return host == null ? "unknown" : host;
    }

    /** For {@code HttpServer.connectionHandler}. */
    public Handler<HttpConnection> onConnection() {
        return conn -> {
            String addr = address(conn.remoteAddress());
            int all = total.incrementAndGet();
            int mine = perAddress.computeIfAbsent(addr, a -> new AtomicInteger()).incrementAndGet();
            if (all > limits.maxConnections() || mine > limits.maxConnectionsPerAddress()) {
                over.put(conn, Boolean.TRUE);
            }
            long timer = vertx.setTimer(limits.httpHeaderTimeout().toMillis(), id -> {
                if (awaitingHead.remove(conn) != null) {
                    metrics.error("header_timeout");
                    conn.close();
                }
            });
            awaitingHead.put(conn, timer);
            conn.closeHandler(v -> {
                total.decrementAndGet();
                perAddress.computeIfPresent(addr, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
                over.remove(conn);
                Long t = awaitingHead.remove(conn);
                if (t != null) {
                    vertx.cancelTimer(t);
                }
            });
        };
    }

    /**
     * Checks a request before anything else looks at it; answers and returns false if it is
     * turned away.
     */
    public boolean admit(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        Long timer = awaitingHead.remove(conn);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (over.containsKey(conn)) {
            metrics.error(ErrorCodes.TOO_MANY_CONNECTIONS);
            req.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close").putHeader("Retry-After", "5")
                    .end(ErrorMessage.encode(ErrorCodes.TOO_MANY_CONNECTIONS,
                            "too many connections (from your address, or in all); close some and try again"))
                    .onComplete(ar -> conn.close());
            return false;
        }
        long waitMs = rate.take(address(req.remoteAddress()), System.nanoTime());
        if (waitMs > 0) {
            metrics.error(ErrorCodes.TOO_MANY_REQUESTS);
            req.response().setStatusCode(429).putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", Long.toString(Math.max(1, (waitMs + 999) / 1000)))
                    .end(ErrorMessage.encode(ErrorCodes.TOO_MANY_REQUESTS, "more than "
                            + limits.httpRequestsPerSecond() + " requests a second from your address; wait and retry"));
            return false;
        }
        return true;
    }

    /** Forgets the request rates of addresses that have been quiet (called now and then). */
    public void sweep() {
        rate.forgetIdle(System.nanoTime());
    }

    public int connections() {
        return total.get();
    }
}
