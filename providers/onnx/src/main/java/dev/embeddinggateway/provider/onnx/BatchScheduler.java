package dev.embeddinggateway.provider.onnx;

import dev.embeddinggateway.core.OverloadedException;
import dev.embeddinggateway.core.ProviderFailedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One inference thread per model, fed from a queue: each round takes everything that is waiting, from every
 * caller, and the encoder cuts it into batches by length and padded tokens. Many single-text clients thus
 * share batches, and nothing waits longer than the round it arrived in. The queue is bounded in tokens:
 * once it holds {@code maxQueuedTokens}, a caller is told to come back ({@link OverloadedException})
 * instead of waiting without bound.
 */
final class BatchScheduler implements AutoCloseable {
    private record Work(int[] ids, CompletableFuture<float[]> vector) {
    }

    private final String provider;
    private final OnnxEncoder encoder;
    private final long maxQueuedTokens;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedTokens = new AtomicLong();
    private final Thread worker;
    private volatile boolean running = true;
    /** Measured, for a retry-after that means something; starts at what this CPU class does. */
    private volatile double tokensPerSecond = 5_000;

    BatchScheduler(String provider, OnnxEncoder encoder, long maxQueuedTokens) {
        this.provider = provider;
        this.encoder = encoder;
        this.maxQueuedTokens = maxQueuedTokens;
        this.worker = new Thread(this::run, "onnx-" + provider);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues the sequences of one request, one vector each, in order.
     *
     * @throws OverloadedException when the queue holds {@code maxQueuedTokens} or more already (below that, a
     *                             request is taken however large)
     */
    List<CompletableFuture<float[]>> submit(List<int[]> sequences) {
        long tokens = sequences.stream().mapToLong(s -> s.length).sum();
        long queued = queuedTokens.addAndGet(tokens);
        // Refused only when the queue was full already: a large request is never starved by a trickle of small ones.
        if (queued - tokens >= maxQueuedTokens) {
            queuedTokens.addAndGet(-tokens);
            long waitSeconds = (long) Math.ceil((queued - tokens) / tokensPerSecond);
            throw new OverloadedException("provider " + provider + " has " + (queued - tokens)
                    + " tokens queued, more than it takes (" + maxQueuedTokens + "); retry in " + Math.max(1, waitSeconds)
                    + " s", Duration.ofSeconds(Math.max(1, waitSeconds)));
        }
        List<CompletableFuture<float[]>> vectors = new ArrayList<>(sequences.size());
        for (int[] ids : sequences) {
            CompletableFuture<float[]> vector = new CompletableFuture<>();
            vectors.add(vector);
            queue.add(new Work(ids, vector));
        }
        return vectors;
    }

    /** Tokens waiting or being embedded. */
    long queuedTokens() {
        return queuedTokens.get();
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            List<Work> round = new ArrayList<>();
            try {
                Work first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                round.add(first);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(round);
            long tokens = round.stream().mapToLong(w -> w.ids().length).sum();
            long start = System.nanoTime();
            float[][] vectors = null;
            Throwable failure = null;
            try {
                vectors = encoder.encode(round.stream().map(Work::ids).toList());
            } catch (Exception | Error e) {
                failure = e;
            }
            // Out of the queue before anyone hears back: a caller that got its vectors sees the queue without them.
            queuedTokens.addAndGet(-tokens);
            if (failure != null) {
                ProviderFailedException failed = new ProviderFailedException("provider " + provider + ": inference failed: "
                        + failure.getMessage(), ProviderFailedException.Reason.UNAVAILABLE, failure);
                round.forEach(w -> w.vector().completeExceptionally(failed));
                continue;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (seconds > 0.01) {
                tokensPerSecond = 0.8 * tokensPerSecond + 0.2 * (tokens / seconds);
            }
            for (int i = 0; i < round.size(); i++) {
                round.get(i).vector().complete(vectors[i]);
            }
        }
    }

    /** Finishes what is queued, then stops: closing the session under a running inference would crash. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        worker.join(TimeUnit.SECONDS.toMillis(30));
    }
}
