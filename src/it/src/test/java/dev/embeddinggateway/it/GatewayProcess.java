package dev.embeddinggateway.it;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway ({@code app/target/quarkus-app}) run as its own process, the way an operator runs it:
 * {@code java -jar quarkus-run.jar}, on a free port, in a fresh working directory, configured only by the
 * given properties.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final int port;
    private long startupMillis;

    private GatewayProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static GatewayProcess start(Map<String, String> properties) throws IOException, InterruptedException {
        return start(properties, Files.createTempDirectory("gateway-it"));
    }

    /** In {@code workDir}: a gateway started again there finds its ./data. */
    static GatewayProcess start(Map<String, String> properties, Path workDir) throws IOException, InterruptedException {
        return start(properties, Map.of(), workDir);
    }

    /** Configured through environment variables too, as in a container. */
    static GatewayProcess start(Map<String, String> properties, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        Path app = Path.of(System.getProperty("gateway.app.dir", "../../app/target/quarkus-app"), "quarkus-run.jar");
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(app + " is missing: run mvn verify from the top of the project");
        }
        int port = freePort();
        Path log = Files.createTempFile(workDir, "gateway", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        if (!properties.containsKey("gateway.warm-up.requests")) {
            command.add("-Dgateway.warm-up.requests=100"); // a shorter warm-up than production's: many gateways start here
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", app.toAbsolutePath().toString()));
        long start = System.currentTimeMillis();
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        GatewayProcess gateway = new GatewayProcess(process, log, port);
        gateway.awaitReady();
        gateway.startupMillis = System.currentTimeMillis() - start;
        return gateway;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready"))).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notYetListening) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException notReady) {
            close();
            throw new IllegalStateException("gateway not ready within " + START_TIMEOUT + ":\n" + log());
        }
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Every thread's stack, as {@code jcmd Thread.print} prints it. */
    String threadDump() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        return dump;
    }

    long pid() {
        return process.pid();
    }

    /** Milliseconds from launching the JVM to the first ready answer. */
    long startupMillis() {
        return startupMillis;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** A port nothing listens on now, for a server a test starts. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, as a container platform stops a replica; the future completes with the exit code. */
    CompletableFuture<Integer> terminate() {
        process.destroy();
        return process.onExit().thenApply(Process::exitValue);
    }

    /** SIGKILL, as a crash or the OOM killer ends a replica: nothing of its shutdown runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
