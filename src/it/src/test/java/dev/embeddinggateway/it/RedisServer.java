package dev.embeddinggateway.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A redis-server of the test's own, on a free port and a temporary directory, that the test may stop and
 * start again; the machine's shared Redis is never touched.
 */
final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private RedisServer(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = options;
    }

    /** @param options more of redis-server's options ({@code --maxmemory 2mb}, say) */
    static RedisServer start(String... options) throws IOException, InterruptedException {
        int port = GatewayProcess.freePort();
        RedisServer redis = new RedisServer(port, Files.createTempDirectory("redis-it"), List.of(options));
        redis.startAgain();
        return redis;
    }

    void startAgain() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        await("redis-server to listen on port " + port).atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(this::listening);
    }

    private boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The keys matching {@code pattern}, as {@code redis-cli KEYS} lists them. */
    List<String> keys(String pattern) throws IOException, InterruptedException {
        return cli(new byte[0], "KEYS", pattern).lines().filter(l -> !l.isBlank()).toList();
    }

    /** Writes {@code value} under {@code key} as a client of this Redis could: whatever bytes it likes. */
    void set(String key, byte[] value) throws IOException, InterruptedException {
        cli(value, "-x", "SET", key);
    }

    private String cli(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = cli.getOutputStream()) {
            in.write(stdin);
        }
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cli.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
