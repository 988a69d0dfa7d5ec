package dev.embeddinggateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Batch jobs beside the interactive path, on one local model in one gateway (cache off, so every text is
 * embedded): the batch's throughput against interactive clients', and an interactive client's latency alone and
 * while a batch runs. Run from the project root after {@code mvn -B package -DskipTests}:
 * {@code java -cp "src/bench/target/gateway-bench.jar:src/bench/target/lib/*" dev.embeddinggateway.bench.BatchFigures [lines] [seconds]}.
 */
public final class BatchFigures {
    private static final String MODEL = "all-minilm-l6-v2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Duration phase = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
        List<String> corpus = Files.readAllLines(Path.of("src/bench/corpus.txt")).stream().filter(l -> !l.isBlank()).toList();
        Table table = new Table(String.format("Batch jobs vs interactive requests (%d cores; %s, cache off; batches of %d "
                + "lines cycling the bench corpus; %d s a phase)", Runtime.getRuntime().availableProcessors(), MODEL, lines,
                phase.toSeconds()));
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("gateway.providers.local.type", "onnx",
                "gateway.providers.local.model", MODEL, "gateway.models.\"" + MODEL + "\".providers", "local",
                "gateway.cache.enabled", "false", "gateway.batches.poll", "100ms",
                "quarkus.http.access-log.enabled", "false"));
             LoadClient client = new LoadClient(gateway.url("/v1/embeddings"))) {
            List<String> singles = corpus.stream().map(t -> LoadClient.body(MODEL, List.of(t))).toList();
            client.run(singles, 32, Duration.ofSeconds(5), true); // warm-up
            double interactive = client.run(singles, 32, phase, true).requestsPerSecond();
            LoadClient.Result alone = client.run(singles, 1, phase, true);

            double batchAlone = lines / secondsToComplete(gateway, create(gateway, lines, corpus));
            table.row("batch throughput vs 32 concurrent single-text clients",
                    String.format("%.2f× (%.0f vs %.0f texts/s)", batchAlone / interactive, batchAlone, interactive),
                    "(reported)", null);

            String running = create(gateway, lines, corpus);
            long start = System.nanoTime();
            while (!status(gateway, running).path("status").asText().equals("in_progress")) {
                Thread.sleep(20);
            }
            LoadClient.Result during = client.run(singles, 1, phase, true);
            double seconds = secondsToComplete(gateway, running) + (System.nanoTime() - start) / 1e9;
            table.row("1 interactive client: p50 while a batch runs vs alone",
                    String.format("%.2f× (%.1f vs %.1f ms; p99 %.1f vs %.1f ms)", during.p50Millis() / alone.p50Millis(),
                            during.p50Millis(), alone.p50Millis(), during.p99Millis(), alone.p99Millis()),
                    "(reported)", null);
            table.context("   batch throughput meanwhile", String.format("%.0f texts/s", lines / seconds));
        }
        System.out.println(table);
    }

    /** Uploads a file of {@code lines} requests of one text each and creates its batch; returns the batch id. */
    private static String create(GatewayUnderTest gateway, int lines, List<String> corpus) throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < lines; i++) {
            file.write(JSON.writeValueAsBytes(Map.of("custom_id", "line-" + i, "method", "POST", "url", "/v1/embeddings",
                    "body", Map.of("model", MODEL, "input", corpus.get(i % corpus.size())))));
            file.write('\n');
        }
        String boundary = UUID.randomUUID().toString();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        file.writeTo(body);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode uploaded = send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/files")))
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        return send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/batches"))).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("input_file_id",
                        uploaded.get("id").asText(), "endpoint", "/v1/embeddings", "completion_window", "24h")))).build())
                .get("id").asText();
    }

    private static double secondsToComplete(GatewayUnderTest gateway, String batch) throws Exception {
        long start = System.nanoTime();
        JsonNode state = status(gateway, batch);
        while (!state.path("status").asText().equals("completed")) {
            if (state.path("status").asText().matches("failed|expired|cancelled")) {
                throw new IllegalStateException("batch " + batch + " ended " + state);
            }
            Thread.sleep(20);
            state = status(gateway, batch);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static JsonNode status(GatewayUnderTest gateway, String batch) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/batches/" + batch))).build());
    }

    private static JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
