package io.parley.testkit;

/** Where a gateway under test answers: in the JVM of the test or benchmark, or in its own ({@link GatewayProcess}). */
public interface GatewayEndpoint {

    /** An http(s):// URL of a path on the gateway. */
    String http(String path);

    /** A ws(s):// URL of a path on the gateway. */
    String ws(String path);
}
