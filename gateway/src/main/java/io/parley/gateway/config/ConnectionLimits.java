package io.parley.gateway.config;

import java.time.Duration;

/**
 * What the network side allows, per server and per client address.
 *
 * @param maxConnections            open TCP connections in all (HTTP and WebSocket)
 * @param maxConnectionsPerAddress  open connections from one IP address (an office behind one NAT
 *                                  counts as one: leave room for its viewers)
 * @param httpRequestsPerSecond     sustained HTTP requests per address (WebSocket upgrades included);
 *                                  beyond it, 429 {@code too_many_requests} with Retry-After
 * @param httpRequestBurst          requests an address may make at once before the rate applies
 * @param httpIdleTimeout           a connection with nothing sent or received for this long is closed
 *                                  (viewers are pinged well within it)
 * @param httpHeaderTimeout         a connection must have sent a complete request head this soon
 *                                  after it opened (a slow-loris client is cut)
 * @param maxRequestBodyBytes       largest HTTP request body (413 beyond)
 * @param maxHeaderBytes            largest request head (431 beyond)
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, double httpRequestsPerSecond,
                               int httpRequestBurst, Duration httpIdleTimeout, Duration httpHeaderTimeout,
                               int maxRequestBodyBytes, int maxHeaderBytes) {

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(10_000, 256, 20, 100, Duration.ofSeconds(120), Duration.ofSeconds(10),
                64 * 1024, 8 * 1024);
    }

    public ConnectionLimits {
        Check.between("maxConnections", maxConnections, 1, 1_000_000);
        Check.between("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, maxConnections);
        if (!(httpRequestsPerSecond > 0 && httpRequestsPerSecond <= 1_000_000)) {
            throw new IllegalArgumentException("limits: httpRequestsPerSecond must be above 0 and at most 1000000, not "
                    + httpRequestsPerSecond);
        }
        Check.between("httpRequestBurst", httpRequestBurst, 1, 1_000_000);
        Check.between("httpIdleTimeout", httpIdleTimeout, Duration.ofSeconds(5), Duration.ofDays(1));
        Check.between("httpHeaderTimeout", httpHeaderTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        Check.between("maxRequestBodyBytes", maxRequestBodyBytes, 1024, 64 * 1024 * 1024);
        Check.between("maxHeaderBytes", maxHeaderBytes, 1024, 1024 * 1024);
    }
}
