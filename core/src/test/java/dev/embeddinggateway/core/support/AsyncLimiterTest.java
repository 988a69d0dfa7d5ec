package dev.embeddinggateway.core.support;

import dev.embeddinggateway.core.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A provider's concurrency limit: calls past it wait, interactive ones ahead of batch work. */
class AsyncLimiterTest {

    @Test
    void aWaitingInteractiveCallStartsBeforeBatchCallsThatWaitedLonger() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        List<String> started = new ArrayList<>();
        List<CompletableFuture<String>> upstream = new ArrayList<>();
        for (String name : List.of("first", "batch-1", "batch-2")) {
            limiter.submit(name.startsWith("batch") ? Priority.BATCH : Priority.INTERACTIVE, () -> {
                started.add(name);
                CompletableFuture<String> answer = new CompletableFuture<>();
                upstream.add(answer);
                return answer;
            });
        }
        CompletableFuture<String> interactive = limiter.submit(() -> {
            started.add("interactive");
            return CompletableFuture.completedFuture("served");
        });
        assertThat(started).containsExactly("first");

        upstream.get(0).complete("done");
        assertThat(started).containsExactly("first", "interactive", "batch-1");
        assertThat(interactive).isCompletedWithValue("served");
        upstream.get(1).complete("done");
        assertThat(started).containsExactly("first", "interactive", "batch-1", "batch-2");
    }
}
