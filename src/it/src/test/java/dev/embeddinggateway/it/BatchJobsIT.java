package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batch jobs through the official OpenAI Java SDK on two replicas sharing PostgreSQL: both work on one 5,000-line
 * batch, both are killed with SIGKILL midway, one is started again, and the batch completes with every
 * custom_id exactly once and every vector the one {@code /v1/embeddings} gives.
 */
@Slow
class BatchJobsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 5_000;
    private static final String MODEL = "all-minilm-l6-v2";
    private static final Set<Batch.Status> FINISHED = Set.of(Batch.Status.COMPLETED, Batch.Status.FAILED,
            Batch.Status.EXPIRED, Batch.Status.CANCELLED);
    private static String database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = MachinePostgres.create("batch_jobs_");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        MachinePostgres.drop(database);
    }

    private static Map<String, String> replica() {
        // Short leases, so that work a killed replica held is taken over within seconds.
        return Map.of("gateway.store.jdbc-url", MachinePostgres.jdbcUrl(database), "gateway.store.username", "postgres",
                "gateway.batches.chunk-lines", "50", "gateway.batches.lease", "4s", "gateway.batches.poll", "250ms");
    }

    private static OpenAIClient client(GatewayProcess gateway) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("no-key-needed").maxRetries(0).build();
    }

    static String text(int i) {
        return "Passage " + i + " of the handbook: section " + (i % 97) + " explains how replica " + (i % 7)
                + " answers request " + (i * 31 % 1009) + " when the queue holds " + (i % 13) + " batches.";
    }

    private static double completedLines(GatewayProcess gateway) throws Exception {
        String metrics = new GatewayClient(gateway).get("/q/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("gateway_batch_lines_total{") && l.contains("outcome=\"completed\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void twoReplicasShareABatchAndAfterBothAreKilledItCompletesExactlyOnce() throws Exception {
        Path input = Files.createTempFile("batch-input", ".jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            lines.add(JSON.writeValueAsString(Map.of("custom_id", "doc-" + i, "method", "POST", "url", "/v1/embeddings",
                    "body", Map.of("model", MODEL, "input", text(i)))));
        }
        Files.write(input, lines, StandardCharsets.UTF_8);

        GatewayProcess first = GatewayProcess.start(replica(), Files.createTempDirectory("batch-replica-1"));
        GatewayProcess second = GatewayProcess.start(replica(), Files.createTempDirectory("batch-replica-2"));
        String batchId;
        OpenAIClient one = client(first);
        OpenAIClient two = client(second);
        try {
            String fileId = one.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build()).id();
            // Created through the other replica: the file is in the store they share.
            Batch created = two.batches().create(BatchCreateParams.builder().inputFileId(fileId)
                    .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS)
                    .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
            batchId = created.id();
            assertThat(created.status()).isEqualTo(Batch.Status.VALIDATING);
            // No deadline: the batch must not finish before both have worked on it.
            await().forever().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (completedLines(first) > 0 && completedLines(second) > 0) {
                    return true;
                }
                assertThat(one.batches().retrieve(batchId).status()).as("still running").isNotIn(FINISHED);
                return false;
            });
            Batch midway = one.batches().retrieve(batchId);
            System.out.printf("both replicas working: %.0f and %.0f lines done, %d of %d in the store; killing both%n",
                    completedLines(first), completedLines(second), midway.requestCounts().orElseThrow().completed(), LINES);
            assertThat(midway.status()).isEqualTo(Batch.Status.IN_PROGRESS);
        } finally {
            one.close();
            two.close();
        }
        first.kill();
        second.kill();

        try (GatewayProcess restarted = GatewayProcess.start(replica(), Files.createTempDirectory("batch-replica-3"))) {
            OpenAIClient client = client(restarted);
            Batch done;
            try {
                done = await().atMost(Duration.ofMinutes(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                        .until(() -> client.batches().retrieve(batchId), batch -> FINISHED.contains(batch.status()));
            } catch (ConditionTimeoutException unfinished) {
                done = client.batches().retrieve(batchId);
            }
            assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
            assertThat(done.requestCounts().orElseThrow().total()).isEqualTo(LINES);
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(LINES);
            assertThat(done.requestCounts().orElseThrow().failed()).isZero();
            assertThat(done.errorFileId()).isEmpty();

            Map<String, JsonNode> output = new HashMap<>();
            try (var content = client.files().content(done.outputFileId().orElseThrow())) {
                for (String line : new String(content.body().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    JsonNode parsed = JSON.readTree(line);
                    assertThat(output.put(parsed.get("custom_id").asText(), parsed)).as("each custom_id once").isNull();
                }
            }
            assertThat(output).hasSize(LINES);
            for (int from = 0; from < LINES; from += 2048) {
                List<String> texts = new ArrayList<>();
                for (int i = from; i < Math.min(LINES, from + 2048); i++) {
                    texts.add(text(i));
                }
                JsonNode direct = new GatewayClient(restarted).embed(MODEL, texts).json();
                for (int i = 0; i < texts.size(); i++) {
                    JsonNode line = output.get("doc-" + (from + i));
                    assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
                    assertThat(line.at("/response/body/data/0/embedding")).as("doc-%d", from + i)
                            .isEqualTo(direct.at("/data/" + i + "/embedding"));
                }
            }
            client.close();
        }
    }
}
