package io.parley.gateway.e2e;

/** Where a gateway under test answers: in this JVM ({@link TestGateway}) or in its own ({@link GatewayProcess}). */
public interface GatewayEndpoint {

    /** An http(s):// URL of a path on the gateway. */
    String http(String path);

    /** A ws(s):// URL of a path on the gateway. */
    String ws(String path);
}
