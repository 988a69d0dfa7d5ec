package dev.embeddinggateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged gateway (app/target/quarkus-app) as its own process, as an operator runs it. */
final class GatewayUnderTest implements AutoCloseable {
    private final Process process;
    private final int port;
    private final long started = System.nanoTime();
    private double secondsToReady;

    private GatewayUnderTest(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts it with the JVM that runs the benchmark, or the one {@code -Dbench.gateway.java} names, with the
     * JVM options {@code -Dbench.gateway.jvm-options} gives (space-separated), as an image would run it.
     */
    static GatewayUnderTest start(Map<String, String> properties) throws IOException, InterruptedException {
        Path app = Path.of("app/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        int port = NodeScripts.freePort();
        Path workDir = Files.createTempDirectory("gateway-bench");
        List<String> command = new ArrayList<>(List.of(System.getProperty("bench.gateway.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()), "-Dquarkus.http.port=" + port));
        String jvmOptions = System.getProperty("bench.gateway.jvm-options", "").trim();
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.split("\\s+")));
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", app.toString()));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("gateway.log").toFile()).start();
        GatewayUnderTest gateway = new GatewayUnderTest(process, port);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/health/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    gateway.secondsToReady = (System.nanoTime() - gateway.started) / 1e9;
                    return gateway;
                }
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("gateway exited: see " + workDir.resolve("gateway.log"));
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway not ready: see " + workDir.resolve("gateway.log"));
    }

    /** From the process's start to its first ready answer. */
    double secondsToReady() {
        return secondsToReady;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    long residentMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }
}
