package dev.embeddinggateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard at / in headless Chromium (Debian's, driven by playwright-core: src/it/page): after real
 * traffic its charts are drawn with that traffic's data. The screenshot stays in the build output,
 * src/it/target/dashboard.png.
 */
@Slow
class DashboardPageIT {

    @Test
    void chartsAreDrawnWithRealData() throws Exception {
        Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        try (GatewayProcess gateway = GatewayProcess.start(LedgerTraffic.PRICED_MODEL)) {
            LedgerTraffic.burst(gateway, 20, 4, " " + UUID.randomUUID());
            LedgerTraffic.embed(gateway, List.of("one more"));
            batchJob(gateway);
            Path log = Files.createTempFile("dashboard", ".log");
            Process node = new ProcessBuilder("node", "page/dashboard.mjs", gateway.url("/"), screenshot.toString(),
                    LedgerTraffic.MODEL).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = node.waitFor(90, TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(done).as("page test finished").isTrue();
            assertThat(node.exitValue()).as(output).isZero();
        }
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    }

    /** A batch job of 30 lines, through the OpenAI SDK, for the page's batch table; done before the page loads. */
    private static void batchJob(GatewayProcess gateway) throws Exception {
        Path input = Files.createTempFile("dashboard-batch", ".jsonl");
        Files.write(input, IntStream.range(0, 30).mapToObj(i -> "{\"custom_id\":\"d-" + i + "\",\"method\":\"POST\","
                + "\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"" + LedgerTraffic.MODEL + "\",\"input\":\"line " + i + "\"}}").toList());
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("no-key-needed").build();
        String file = client.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build()).id();
        String batch = client.batches().create(BatchCreateParams.builder().inputFileId(file)
                .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS).completionWindow(BatchCreateParams.CompletionWindow._24H)
                .build()).id();
        // A batch still validating has no counts to show yet: the page is checked on one that has them.
        try {
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.batches().retrieve(batch).status() == Batch.Status.COMPLETED);
        } catch (ConditionTimeoutException stillRunning) {
            // As before: the page is loaded all the same, and shows what it can.
        } finally {
            client.close();
        }
    }
}
