package dev.embeddinggateway.core.support;

import dev.embeddinggateway.core.Priority;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Keeps at most {@code max} asynchronous calls in flight; later ones wait their turn without a thread, interactive
 * calls ahead of every waiting batch call.
 */
public final class AsyncLimiter {
    private final int max;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final Queue<Runnable> waitingBatch = new ArrayDeque<>();
    private int inFlight;

    public AsyncLimiter(int max) {
        this.max = max;
    }

    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        return submit(Priority.INTERACTIVE, call);
    }

    public <T> CompletableFuture<T> submit(Priority priority, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> running;
            try {
                running = call.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, error) -> {
                release();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        };
        synchronized (this) {
            if (inFlight >= max) {
                (priority == Priority.BATCH ? waitingBatch : waiting).add(start);
                return result;
            }
            inFlight++;
        }
        start.run();
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.isEmpty() ? waitingBatch.poll() : waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.run();
    }
}
