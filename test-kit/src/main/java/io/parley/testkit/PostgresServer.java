package io.parley.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of the test's own, from Debian's {@code postgresql} package: a new
 * cluster made by {@code initdb} in a temporary folder, started by {@code pg_ctl} on a free
 * loopback port, stopped and deleted by {@link #close()}. PostgreSQL refuses to run as root, so
 * as root its commands run as the package's {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser the cluster is made with; trust authentication on loopback. */
    public static final String USER = "parley";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Makes and starts a cluster; fails with a message saying what is missing. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("parley-pg-");
        if (root) {
            // The postgres user must own the cluster and reach it through the temporary folder.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            exec(List.of("chown", "postgres:postgres", dir.toString()), 30);
        }
        int port = LoopbackPorts.free();
        PostgresServer pg = new PostgresServer(bin, dir, port, root);
        try {
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"), 120);
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), 90);
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    /** A URI for the cluster's default database, as {@code --store} takes it. */
    public String uri() {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Makes another database in the cluster and returns its URI (a clean slate per test). */
    public String newDatabase(String name) throws IOException, InterruptedException {
        run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, name), 60);
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + name;
    }

    /** Stops the server at once and deletes the cluster. */
    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                        "-w", "-t", "30", "stop"), 60);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("[postgres] could not stop the test cluster: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[postgres] could not delete " + dir + ": " + e.getMessage());
        }
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(Arrays.asList("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        exec(full, timeoutSeconds);
    }

    private static void exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.getFirst() + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + new String(out));
        }
    }

    /** The newest installed server's binaries (Debian: /usr/lib/postgresql/N/bin). */
    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL's server is not installed (Debian package postgresql;"
                    + " ./parley test installs it)", e);
        }
    }

}
