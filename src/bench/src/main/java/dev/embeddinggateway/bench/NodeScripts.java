package dev.embeddinggateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's parts that must not be Java (src/bench/node): the fake upstream, the latency client, and
 * Portkey's open-source gateway (installed with {@code npm ci} in src/bench/node).
 */
final class NodeScripts {
    static final Path DIR = Path.of("src/bench/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeScripts() {
    }

    /** A server started with node, stopped on close. */
    record Server(Process process, int port) implements AutoCloseable {
        String baseUrl() {
            return "http://127.0.0.1:" + port + "/v1";
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Server upstream(int delayMillis) throws IOException, InterruptedException {
        int port = freePort();
        return serve(port, "upstream.mjs", "--port=" + port, "--delay-ms=" + delayMillis);
    }

    static boolean portkeyInstalled() {
        return Files.exists(DIR.resolve("node_modules/@portkey-ai/gateway/build/start-server.js"));
    }

    static Server portkey() throws IOException, InterruptedException {
        int port = freePort();
        return serve(port, "node_modules/@portkey-ai/gateway/build/start-server.js", "--port=" + port, "--headless");
    }

    /** Latency percentiles (ms) of one Node client sending {@code body} to {@code url} one request at a time. */
    static JsonNode latency(String url, String body, Map<String, String> headers, int warmup, int count)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "latency.mjs", "--url=" + url, "--body=" + body,
                "--warmup=" + warmup, "--count=" + count));
        headers.forEach((name, value) -> command.add("--header=" + name + ":" + value));
        Process client = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes()).trim();
        if (client.waitFor() != 0) {
            throw new IllegalStateException("latency client failed: " + output);
        }
        return JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
    }

    private static Server serve(int port, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("bench-node", ".log");
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new Server(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(script + " exited: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(script + " did not listen on " + port + ": " + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
