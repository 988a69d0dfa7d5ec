package dev.embeddinggateway.provider.onnx;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.OverloadedException;
import dev.embeddinggateway.core.Priority;
import dev.embeddinggateway.golden.Golden;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.embeddinggateway.testing.TokenizeAndEmbed.tokenizeAndEmbed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests of many callers share the inference queue's rounds and passes: each caller still gets its own vectors, a
 * full queue says so, and interactive requests go ahead of batch-job work.
 */
class InferenceQueueTest {
    private static final Golden MINILM = Golden.load(Golden.MINILM);

    private static EmbeddingProvider provider(Map<String, String> options) {
        return new OnnxProviderFactory().create("queued", options);
    }

    private static CompletableFuture<EmbeddingResult> embed(EmbeddingProvider provider, List<String> texts) {
        return tokenizeAndEmbed(provider, "all-minilm-l6-v2", texts.stream().map(t -> (Input) new Input.Text(t)).toList(),
                384, LongInputPolicy.TRUNCATE).toCompletableFuture();
    }

    @Test
    void concurrentCallersEachGetTheirOwnVectors() throws Exception {
        try (EmbeddingProvider provider = provider(Map.of("model", "all-minilm-l6-v2"))) {
            List<Golden.Item> items = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                items.addAll(MINILM.items());
            }
            Collections.shuffle(items, new java.util.Random(7));
            ExecutorService callers = Executors.newFixedThreadPool(items.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<EmbeddingResult>> results = new ArrayList<>();
            for (Golden.Item item : items) {
                results.add(callers.submit(() -> {
                    start.await();
                    return embed(provider, List.of(item.text())).join();
                }));
            }
            start.countDown();
            for (int i = 0; i < items.size(); i++) {
                var embedding = results.get(i).get().embeddings().get(0);
                assertThat(Golden.cosine(embedding.vector(), items.get(i).embedding())).as(items.get(i).text())
                        .isGreaterThanOrEqualTo(MINILM.minCosine());
                assertThat(embedding.tokens()).isEqualTo(items.get(i).tokens());
            }
            callers.shutdown();
        }
    }

    @Test
    void fullQueueTellsTheCallerToComeBackAndThenServesAgain() throws Exception {
        String longText = MINILM.items().get(14).text();
        try (EmbeddingProvider provider = provider(Map.of("model", "all-minilm-l6-v2", "max-queued-tokens", "1000"))) {
            OnnxEmbeddingProvider onnx = (OnnxEmbeddingProvider) provider;
            // A queue below its bound takes any request, however large: 24 texts of 256 tokens.
            CompletableFuture<EmbeddingResult> large = embed(provider, Collections.nCopies(24, longText));
            while (onnx.queuedTokens() == 0 && !large.isDone()) {
                Thread.sleep(5);
            }
            CompletableFuture<EmbeddingResult> refused = embed(provider, List.of("one more"));
            Throwable error = catchCause(refused);
            assertThat(error).isInstanceOf(OverloadedException.class).hasMessageContaining("provider queued");
            assertThat(((OverloadedException) error).retryAfter().toSeconds()).isPositive();

            assertThat(large.join().embeddings()).hasSize(24);
            assertThat(onnx.queuedTokens()).isZero();
            assertThat(embed(provider, List.of("one more")).join().embeddings()).hasSize(1);
        }
    }

    @Test
    @Tag("slow") // bulk: 176 texts of 256 tokens
    void aBulkCallerRefusedIsTakenAfterItsRetryAfterASingleTextAtOnce() throws Exception {
        String longText = MINILM.items().get(14).text();
        try (EmbeddingProvider provider = provider(Map.of("model", "all-minilm-l6-v2", "max-queue-wait", "1s"))) {
            // Seconds of work, queued at once: more than the one second that may wait, even once the single text
            // below has been served (after a round or two, each about a second of work).
            CompletableFuture<EmbeddingResult> bulk = embed(provider, Collections.nCopies(160, longText));
            while (((OnnxEmbeddingProvider) provider).queuedTokens() == 0) {
                Thread.sleep(5);
            }
            // A single text would be taken (served within a round); another bulk request waits its turn.
            assertThat(embed(provider, List.of("interactive")).join().embeddings()).hasSize(1);
            Throwable refused = catchCause(embed(provider, Collections.nCopies(16, longText)));
            assertThat(refused).isInstanceOf(OverloadedException.class);
            Duration retryAfter = ((OverloadedException) refused).retryAfter();
            assertThat(retryAfter).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
            Thread.sleep(retryAfter.toMillis());
            assertThat(embed(provider, Collections.nCopies(16, longText)).join().embeddings()).hasSize(16);
            assertThat(bulk.join().embeddings()).hasSize(160);
        }
    }

    @Test
    @Tag("slow") // load: 300 requests from three senders
    void aLongTextIsServedInTheRoundItArrivedInWhileShortOnesKeepComing() throws Exception {
        Golden.Item longText = MINILM.items().get(14);
        try (EmbeddingProvider provider = provider(Map.of("model", "all-minilm-l6-v2"))) {
            java.util.concurrent.atomic.AtomicInteger shortsDone = new java.util.concurrent.atomic.AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(3);
            for (int s = 0; s < 3; s++) {
                int sender = s;
                senders.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        embed(provider, List.of("short " + sender + " " + i)).join();
                        shortsDone.incrementAndGet();
                    }
                    return null;
                });
            }
            while (shortsDone.get() < 10) {
                Thread.sleep(1);
            }
            var embedding = embed(provider, List.of(longText.text())).join().embeddings().get(0);
            int shortsWhenServed = shortsDone.get();
            senders.shutdown();
            senders.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
            // Served, right, and long before the 300 short requests were through: not starved by them.
            assertThat(Golden.cosine(embedding.vector(), longText.embedding())).isGreaterThanOrEqualTo(MINILM.minCosine());
            assertThat(shortsWhenServed).isLessThan(150);
            assertThat(shortsDone.get()).isEqualTo(300);
        }
    }

    /** Batch-job work, as the gateway's batch runner sends it. */
    private static CompletableFuture<EmbeddingResult> batchWork(EmbeddingProvider provider, List<String> texts) {
        List<Input> inputs = texts.stream().map(t -> (Input) new Input.Text(t)).toList();
        return provider.tokenize("all-minilm-l6-v2", inputs).thenCompose(tokens -> provider.embed(new EmbeddingRequest(
                "all-minilm-l6-v2", inputs, tokens, 384, LongInputPolicy.TRUNCATE, null, null, Priority.BATCH)))
                .toCompletableFuture();
    }

    @Test
    @Tag("slow") // bulk: 160 texts of 256 tokens
    void interactiveRequestsGoAheadOfQueuedBatchWork() throws Exception {
        String longText = MINILM.items().get(14).text();
        try (EmbeddingProvider provider = provider(Map.of("model", "all-minilm-l6-v2"))) {
            // Seconds of batch work: 160 requests of 256 tokens, more than a round takes.
            List<CompletableFuture<EmbeddingResult>> batch = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                batch.add(batchWork(provider, List.of(longText + " " + i)));
            }
            while (((OnnxEmbeddingProvider) provider).queuedTokens() == 0) {
                Thread.sleep(5);
            }
            // Taken in turn with the batch-job requests, they would wait for a sequence of every one of them.
            List<CompletableFuture<EmbeddingResult>> interactive = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                interactive.add(embed(provider, List.of("interactive " + i)));
            }
            CompletableFuture.allOf(interactive.toArray(CompletableFuture[]::new)).join();
            long batchDone = batch.stream().filter(CompletableFuture::isDone).count();
            assertThat(batchDone).as("batch requests done when ten interactive ones were").isLessThan(80);
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
            assertThat(batch).allSatisfy(b -> assertThat(b.join().embeddings()).hasSize(1));
        }
    }

    @Test
    void queuedBatchWorkNeverMakesTheQueueRefuseInteractiveRequests() throws Exception {
        String longText = MINILM.items().get(14).text();
        try (EmbeddingProvider provider = provider(Map.of("model", "all-minilm-l6-v2", "max-queued-tokens", "1000"))) {
            // Taken while the queue is empty, however large: 24 texts of 256 tokens.
            CompletableFuture<EmbeddingResult> queued = batchWork(provider, Collections.nCopies(24, longText));
            while (((OnnxEmbeddingProvider) provider).queuedTokens() == 0 && !queued.isDone()) {
                Thread.sleep(5);
            }
            // Past the bound: more batch work is refused, an interactive request is taken as if none waited.
            Throwable refused = catchCause(batchWork(provider, List.of("more batch work")));
            assertThat(refused).isInstanceOf(OverloadedException.class).hasMessageContaining("batch work");
            assertThat(embed(provider, Collections.nCopies(16, longText)).join().embeddings()).hasSize(16);
            assertThat(queued.join().embeddings()).hasSize(24);
        }
    }

    private static Throwable catchCause(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
