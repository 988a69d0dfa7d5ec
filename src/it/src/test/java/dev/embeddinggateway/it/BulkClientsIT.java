package dev.embeddinggateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk indexers at once through the local model, each client with its library's default settings (retries
 * included): four LangChain4j ones with 1,000 short texts each, two of OpenAI's Java SDK and two of its Node SDK
 * with 2,000 each, each in one call. All of them finish; a person's single texts sent meanwhile are all answered; the gateway's memory stays
 * bounded. Together they are more work than the queue takes ({@code max-queue-wait}), so some are told to come
 * back: the SDKs, which honour {@code retry-after}, arrive while the LangChain4j ones run (LangChain4j retries twice
 * within seconds and ignores it, so it finishes only when taken at once; in a random order it may be the one told).
 */
@Slow
class BulkClientsIT {
    private static final int TEXTS = 2_000;
    /**
     * LangChain4j's share: all four must fit in the queue at once on a slow machine too (measured here: 2,200 to
     * 3,000 tokens/s, so 66,000 to 90,000 tokens of 30 s; four of 2,000 texts are 96,000 tokens, and one was told
     * to come back and failed).
     */
    private static final int LANGCHAIN4J_TEXTS = 1_000;
    /** Time for the LangChain4j requests to reach the gateway's queue: their clients take a second to send. */
    private static final long LANGCHAIN4J_HEAD_START_MS = 3_000;

    private static List<String> corpus(String client) {
        return corpus(client, TEXTS);
    }

    private static List<String> corpus(String client, int texts) {
        return IntStream.range(0, texts).mapToObj(i -> "chunk " + i + " of the " + client + " corpus about retrieval").toList();
    }

    @Test
    void everyBulkClientFinishesAndInteractiveTextsAreServedMeanwhile() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of())) {
            long start = System.nanoTime();
            List<CompletableFuture<Integer>> bulk = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                String client = "langchain4j-" + c;
                OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(gateway.url("/v1")).apiKey("unused")
                        .modelName("all-minilm-l6-v2").build();
                bulk.add(CompletableFuture.supplyAsync(() -> model.embedAll(corpus(client, LANGCHAIN4J_TEXTS).stream().map(TextSegment::from)
                        .toList()).content().size()));
            }
            Thread.sleep(LANGCHAIN4J_HEAD_START_MS);
            for (int c = 0; c < 2; c++) {
                String client = "openai-java-" + c;
                OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(gateway.url("/v1")).apiKey("unused").build();
                bulk.add(CompletableFuture.supplyAsync(() -> sdk.embeddings().create(EmbeddingCreateParams.builder()
                        .model("all-minilm-l6-v2").inputOfArrayOfStrings(corpus(client)).build()).data().size()));
            }
            for (int c = 0; c < 2; c++) {
                String client = "openai-node-" + c;
                bulk.add(CompletableFuture.supplyAsync(() -> node(gateway, client)));
            }
            // A person's single texts while the bulk runs.
            GatewayClient person = new GatewayClient(gateway).withHeader("cache-control", "no-store");
            List<Long> latencies = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            AtomicBoolean bulkRunning = new AtomicBoolean(true);
            CompletableFuture.allOf(bulk.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> bulkRunning.set(false));
            for (int i = 0; bulkRunning.get(); i++) {
                long sent = System.nanoTime();
                statuses.add(person.embed("what is retrieval " + i + "?").status());
                latencies.add((System.nanoTime() - sent) / 1_000_000);
                Thread.sleep(200);
            }
            List<Integer> served = bulk.stream().map(CompletableFuture::join).toList();
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            Collections.sort(latencies);
            System.out.printf("bulk: 4 clients x %d and 4 x %d texts finished in %d s; %d single texts meanwhile, all %s, latency "
                            + "p50 %d ms, max %d ms; gateway resident memory %d MiB%n", LANGCHAIN4J_TEXTS, TEXTS, seconds, latencies.size(),
                    statuses.stream().distinct().toList(), latencies.get(latencies.size() / 2),
                    latencies.get(latencies.size() - 1), residentMegabytes(gateway));
            assertThat(served).containsExactly(LANGCHAIN4J_TEXTS, LANGCHAIN4J_TEXTS, LANGCHAIN4J_TEXTS, LANGCHAIN4J_TEXTS,
                    TEXTS, TEXTS, TEXTS, TEXTS);
            assertThat(statuses).containsOnly(200);
            assertThat(residentMegabytes(gateway)).isLessThan(2048);
        }
    }

    /** src/it/page/bulk-indexer.mjs: the vectors it got, or a failure with what it printed. */
    private static int node(GatewayProcess gateway, String client) {
        try {
            Process node = new ProcessBuilder("node", "page/bulk-indexer.mjs", gateway.url("/v1"), Integer.toString(TEXTS),
                    client).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes()).trim();
            if (node.waitFor() != 0) {
                throw new IllegalStateException(client + " failed: " + output);
            }
            return Integer.parseInt(output.lines().reduce((a, b) -> b).orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long residentMegabytes(GatewayProcess gateway) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(gateway.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                .findFirst().orElseThrow();
    }
}
