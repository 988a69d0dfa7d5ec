package dev.embeddinggateway.it;

import com.openai.models.batches.Batch;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch whose lines have 2,048 inputs each, on the heap the README's container sizing gives (1.5 GiB: 768m):
 * a chunk's memory is bounded by its inputs, so the batch completes; the heap's peak is printed.
 */
class BatchMemoryIT {
    private static final String MODEL = "text-embedding-3-small";
    private static final int LINES = 16;
    /** As a 384-dimensional model gives: 2,048 vectors a line, each line's result about 9 MB of JSON. */
    private static final int DIMENSIONS = 384;
    private static final int INPUTS = 2_048;

    @Test
    @Slow // large answers: 16 lines of 2,048 vectors
    void linesOfMaximalInputsCompleteOnA768mHeap() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi();
             GatewayProcess gateway = GatewayProcess.start(UpstreamSettings.openAi(upstream, MODEL,
                     "gateway.providers.upstream.timeout", "120s"),
                     Map.of("JAVA_TOOL_OPTIONS", "-Xmx768m"), Files.createTempDirectory("batch-memory"))) {
            String id = BatchRuns.create(gateway, IntStream.range(0, LINES).<Map<String, Object>>mapToObj(line -> Map.of(
                    "model", MODEL, "dimensions", DIMENSIONS, "input", IntStream.range(0, INPUTS).mapToObj(i -> "w" + line + "-" + i).toList())).toList());
            AtomicLong peakUsed = new AtomicLong();
            AtomicLong peakLive = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleWithFixedDelay(() -> sample(gateway, peakUsed, peakLive), 0, 250, TimeUnit.MILLISECONDS);
            Batch done;
            try {
                done = BatchRuns.awaitFinished(gateway, id, Duration.ofMinutes(5));
            } finally {
                sampler.shutdownNow();
            }
            System.out.printf("batch of %d lines x %d inputs (%d dimensions) on -Xmx768m: heap used at most %d MiB, live after GC at most %d MiB%n",
                    LINES, INPUTS, DIMENSIONS, peakUsed.get() >> 20, peakLive.get() >> 20);
            assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(LINES);
            assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
            // Chunks cut by lines only (chunk-inputs unbounded) peaked at 543 MiB live here: all 16 lines' results at once.
            assertThat(peakLive.get()).as("live heap after GC, bytes").isLessThan(384L << 20);
        }
    }

    /** The heap's use now (every pool) and its live data after the last GC, from the metrics. */
    private static void sample(GatewayProcess gateway, AtomicLong peakUsed, AtomicLong peakLive) {
        try {
            List<String> metrics = new GatewayClient(gateway).get("/q/metrics").body().lines().toList();
            long used = (long) metrics.stream().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(BatchMemoryIT::value).sum();
            long live = (long) metrics.stream().filter(l -> l.startsWith("jvm_gc_live_data_size_bytes"))
                    .mapToDouble(BatchMemoryIT::value).max().orElse(0);
            peakUsed.accumulateAndGet(used, Math::max);
            peakLive.accumulateAndGet(live, Math::max);
        } catch (Exception e) {
            // a sample missed: the next one counts
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
