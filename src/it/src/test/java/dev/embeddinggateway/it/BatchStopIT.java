package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.batches.Batch;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica stopped with SIGTERM in the middle of a batch: it stops quietly (no ERROR, no stack trace), and once
 * started again the batch completes with every line of its output file billed exactly once in the ledger.
 */
class BatchStopIT {
    private static final String MODEL = "text-embedding-3-small";
    private static final int LINES = 1_000;

    @Test
    @Slow // two gateway starts
    void aStopMidBatchBillsEveryOutputLineExactlyOnce() throws Exception {
        Path workDir = Files.createTempDirectory("batch-stop");
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            Map<String, String> config = UpstreamSettings.openAi(upstream, MODEL, "gateway.providers.upstream.timeout", "10s",
                    "gateway.batches.chunk-lines", "50", "gateway.batches.poll", "250ms");
            // Slow answers: lines are in flight whenever the stop comes.
            upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS)
                    .willReturn(aResponse().withTransformers(FakeOpenAi.ANSWER).withFixedDelay(300)));
            GatewayProcess gateway = GatewayProcess.start(config, workDir);
            String id = BatchRuns.create(gateway, IntStream.range(0, LINES).<Map<String, Object>>mapToObj(i -> Map.of(
                    "model", MODEL, "input", "line " + i + " of a batch stopped midway")).toList());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> BatchRuns.retrieve(gateway, id).requestCounts().map(c -> c.completed()).orElse(0L) >= 100);
            assertThat(gateway.terminate().get(60, TimeUnit.SECONDS)).isIn(0, 143);
            String log = gateway.log();
            assertThat(log).as("the stop's log").doesNotContain(" ERROR ").doesNotContain("\tat ")
                    .doesNotContain("RejectedExecutionException");

            upstream.answerEmbeddings();
            try (GatewayProcess restarted = GatewayProcess.start(config, workDir)) {
                Batch done = BatchRuns.awaitFinished(restarted, id, Duration.ofMinutes(5));
                assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
                Map<String, JsonNode> output = BatchRuns.lines(restarted, done.outputFileId().orElseThrow());
                assertThat(output).hasSize(LINES);
                long tokens = output.values().stream().mapToLong(l -> l.at("/response/body/usage/prompt_tokens").asLong()).sum();
                JsonNode billed = null;
                for (JsonNode row : new GatewayClient(restarted).get("/v1/usage?group_by=batch").json().get("data")) {
                    if (row.get("batch").asText().equals(id)) {
                        billed = row;
                    }
                }
                assertThat(billed).as("the batch's ledger row").isNotNull();
                assertThat(billed.get("requests").asLong()).as("lines billed").isEqualTo(LINES);
                assertThat(billed.get("input_tokens").asLong()).as("tokens billed").isEqualTo(tokens);
                assertThat(restarted.log()).doesNotContain("\tat ");
            }
        }
    }
}
