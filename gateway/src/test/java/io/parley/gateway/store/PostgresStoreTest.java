package io.parley.gateway.store;

import io.parley.testkit.PostgresServer;

import io.parley.gateway.store.postgres.PostgresStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract on a real PostgreSQL server that the test starts itself (initdb, pg_ctl). */
class PostgresStoreTest extends StoreContract {

    static PostgresServer server;
    static Vertx vertx;
    static PostgresStore store;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
        vertx = Vertx.vertx();
        store = PostgresStore.open(vertx, server.uri(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    Store store() {
        return store;
    }

    @Test
    void gatewaysStartingTogetherMigrateOnceAndDescribeWithoutSecrets() throws Exception {
        String uri = server.newDatabase("together");
        var opened = new java.util.concurrent.CopyOnWriteArrayList<PostgresStore>();
        Thread[] starters = new Thread[3];
        for (int i = 0; i < starters.length; i++) {
            starters[i] = Thread.ofPlatform().start(() -> opened.add(PostgresStore.open(vertx, uri, Duration.ofSeconds(30))));
        }
        for (Thread t : starters) {
            t.join();
        }
        assertEquals(3, opened.size(), "every gateway opened the store");
        opened.forEach(s -> assertEquals(Schema.latest(), s.schemaVersion()));
        assertTrue(opened.getFirst().describe().startsWith("PostgreSQL parley@127.0.0.1:"), opened.getFirst().describe());
        opened.forEach(PostgresStore::close);
    }

    @Test
    void anUnreachableServerIsAClearError() {
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> PostgresStore.open(vertx, "postgresql://parley@127.0.0.1:1/none", Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("cannot open the store PostgreSQL parley@127.0.0.1:1/none"), e.getMessage());
    }
}
