package io.parley.gateway.fleet;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.parley.gateway.config.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Joins this process to the fleet: a Hazelcast member found by TCP/IP (never multicast), and a
 * clustered Vert.x whose event bus listens on the same address.
 */
public final class ClusterStart {

    private ClusterStart() {
    }

    /** The Hazelcast configuration: the file given, else Vert.x's maps with Parley's network and failure detection. */
    static Config hazelcast(ClusterConfig c) {
        Config hz;
        if (c.hazelcastConfig().isPresent()) {
            try {
                hz = Config.loadFromFile(c.hazelcastConfig().get().toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the Hazelcast file " + c.hazelcastConfig().get() + ": "
                        + e.getMessage());
            }
            return hz;
        }
        hz = ConfigUtil.loadConfig();
        hz.setClusterName("parley");
        NetworkConfig net = hz.getNetworkConfig();
        net.setPort(c.port()).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).addInterface(c.host());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(c.members()).setConnectionTimeoutSeconds(2);
        hz.setProperty("hazelcast.logging.type", "jdk");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.socket.bind.any", "false");
        // Parley leaves the cluster in its own shutdown, after its drain: not Hazelcast's hook, before it.
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        // A member that stops answering is out within seconds, not Hazelcast's default minute.
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        hz.setProperty("hazelcast.wait.seconds.before.join", "1");
        hz.setProperty("hazelcast.max.join.seconds", "10");
        return hz;
    }

    /** Starts a clustered Vert.x; blocks until this node is a member (or fails with why). */
    public static Vertx vertx(ClusterConfig c) {
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(c));
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(new EventBusOptions().setHost(c.host()).setPort(0));
        try {
            return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
                    .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("could not join the fleet at " + String.join(",", c.members()) + " (this node "
                    + c.host() + ":" + c.port() + "): " + cause.getMessage(), cause);
        }
    }
}
