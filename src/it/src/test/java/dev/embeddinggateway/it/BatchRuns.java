package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A batch job driven through OpenAI's Java SDK against a gateway process: upload, create, wait, read its files. */
final class BatchRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Batch.Status> FINISHED = Set.of(Batch.Status.COMPLETED, Batch.Status.FAILED,
            Batch.Status.EXPIRED, Batch.Status.CANCELLED);

    private BatchRuns() {
    }

    static OpenAIClient client(GatewayProcess gateway) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("no-key-needed").maxRetries(0)
                .timeout(Duration.ofMinutes(2)).build();
    }

    /** A batch of {@code lines} (each a /v1/embeddings body), created; its id. */
    static String create(GatewayProcess gateway, List<Map<String, Object>> bodies) throws IOException {
        Path input = Files.createTempFile("batch-input", ".jsonl");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bodies.size(); i++) {
            text.append(JSON.writeValueAsString(Map.of("custom_id", "line-" + i, "method", "POST", "url", "/v1/embeddings",
                    "body", bodies.get(i)))).append('\n');
        }
        Files.writeString(input, text, StandardCharsets.UTF_8);
        OpenAIClient client = client(gateway);
        try {
            String fileId = client.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build()).id();
            return client.batches().create(BatchCreateParams.builder().inputFileId(fileId)
                    .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS)
                    .completionWindow(BatchCreateParams.CompletionWindow._24H).build()).id();
        } finally {
            client.close();
        }
    }

    static Batch retrieve(GatewayProcess gateway, String id) {
        OpenAIClient client = client(gateway);
        try {
            return client.batches().retrieve(id);
        } finally {
            client.close();
        }
    }

    static Batch awaitFinished(GatewayProcess gateway, String id, Duration within) {
        return await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .until(() -> retrieve(gateway, id), batch -> FINISHED.contains(batch.status()));
    }

    /** The file's lines by custom_id; each custom_id once. */
    static Map<String, JsonNode> lines(GatewayProcess gateway, String fileId) throws IOException, InterruptedException {
        Map<String, JsonNode> lines = new HashMap<>();
        String content = new GatewayClient(gateway).withTimeout(Duration.ofMinutes(2)).get("/v1/files/" + fileId + "/content")
                .body();
        for (String line : content.split("\n")) {
            JsonNode parsed = JSON.readTree(line);
            assertThat(lines.put(parsed.get("custom_id").asText(), parsed)).as("each custom_id once").isNull();
        }
        return lines;
    }
}
