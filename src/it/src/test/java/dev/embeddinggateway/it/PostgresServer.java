package dev.embeddinggateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL of the test's own (initdb + pg_ctl into a temporary directory, on a free port) that the test
 * may stop and start again; the machine's shared PostgreSQL is never touched. PostgreSQL refuses to run as
 * root, so as root it runs as the {@code postgres} user.
 */
final class PostgresServer implements AutoCloseable {
    private final Path dir;
    private final int port;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static PostgresServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pg-it");
        int port = GatewayProcess.freePort();
        PostgresServer server = new PostgresServer(dir, port);
        if (isRoot()) {
            server.run("chown", "-R", "postgres", dir.toString());
        }
        server.runAsPostgres(bin("initdb"), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres");
        server.startAgain();
        return server;
    }

    void startAgain() throws IOException, InterruptedException {
        runAsPostgres(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-l", dir.resolve("pg.log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
    }

    void stop() throws IOException, InterruptedException {
        runAsPostgres(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    /** Stops every process of this server where it stands (SIGSTOP): a database that hangs instead of refusing. */
    void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        String postmaster = Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim();
        run("pkill", signal, "-P", postmaster);
        run("kill", signal, postmaster);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static String bin(String tool) throws IOException {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin").resolve(tool).toString();
        }
    }

    private void runAsPostgres(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("commands.log").toFile()).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(dir.resolve("commands.log")));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
