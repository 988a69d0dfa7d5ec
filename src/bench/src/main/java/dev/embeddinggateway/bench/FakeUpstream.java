package dev.embeddinggateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** An OpenAI-compatible upstream that answers at once (fixed small vectors): what the gateway adds shows. */
final class FakeUpstream implements AutoCloseable {
    static final int DIMENSIONS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;

    private FakeUpstream(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static FakeUpstream start() throws IOException {
        // Without it the JDK server's small writes meet delayed ACKs: 40 ms a call, which would drown the figure.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            JsonNode input = request.get("input");
            int count = input.isArray() && input.size() > 0 && !input.get(0).isNumber() ? input.size() : 1;
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < count; i++) {
                data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                        .append(",\"embedding\":[0.5,0.5,0.5,0.5,0,0,0,0]}");
            }
            byte[] body = ("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"fake\",\"usage\":{\"prompt_tokens\":"
                    + count + ",\"total_tokens\":" + count + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new FakeUpstream(server, executor);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
