package dev.embeddinggateway.provider.onnx;

import dev.embeddinggateway.core.OverloadedException;
import dev.embeddinggateway.core.Priority;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.support.DaemonThreads;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One inference thread per model, fed fairly from every caller. Each round takes about a second of work,
 * a sequence at a time from each waiting request in turn, and the encoder cuts it into inference passes by length
 * and padded tokens: single texts share passes, and a text that arrives while a bulk request runs is in one of the
 * next rounds, not behind the whole bulk. The queue is bounded in time (and, for memory, in tokens): a request
 * is taken while what waits is less than {@code maxQueueWait} of work at the measured speed; past that the caller
 * is told when there will be room ({@link OverloadedException}). A small request (no more than a round) is taken
 * up to the token bound: it is served within a round or two, whatever waits.
 * <p>
 * Batch-job work ({@link Priority#BATCH}) waits in a queue of its own: a round takes it only while no interactive
 * request waits, and then only a text or two of it ({@link #BATCH_WORK_ROUND_TOKENS}) while interactive requests
 * come, so that one arriving meanwhile waits for no more than that (a whole inference pass once none has come for
 * {@link #QUIET_NANOS}). Batch-job work is taken only while the whole queue is below its
 * bound; interactive requests are admitted as if no batch-job work waited.
 */
final class InferenceQueue implements AutoCloseable {
    /** One sequence to embed and the future of its vector. */
    private record Work(int[] ids, CompletableFuture<float[]> vector, Priority priority) {
    }

    /**
     * A round is sorted by length before it is cut into inference passes, so its size is a trade: measured on the bench
     * corpus, quarter-second rounds padded so much that inference ran at 0.73× of the whole corpus sorted at
     * once; one-second rounds at 0.98×.
     */
    private static final double ROUND_SECONDS = 1.0;
    /**
     * A round of batch-job work alone. Measured with BatchFigures (2 cores, all-minilm-l6-v2): an interactive client's
     * p50 while a batch job ran was 351 ms with rounds of 512 tokens, 89 ms with 128 (18-20 ms alone), and the batch
     * job's own throughput the same within the noise.
     */
    private static final long BATCH_WORK_ROUND_TOKENS = 128;
    /**
     * How long after the last interactive request batch-job work alone gets whole rounds ({@code minRoundTokens}, one
     * inference pass): at full speed while nobody is waiting, a text or two a round while people are.
     */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final String provider;
    private final OnnxEncoder encoder;
    private final long maxQueuedTokens;
    private final Duration maxQueueWait;
    private final int minRoundTokens;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    /** Per waiting interactive request, its sequences still to embed. */
    private final ArrayDeque<ArrayDeque<Work>> interactiveRequests = new ArrayDeque<>();
    /** Per waiting request of batch-job work, its sequences still to embed. */
    private final ArrayDeque<ArrayDeque<Work>> batchWorkRequests = new ArrayDeque<>();
    private long queuedTokens;
    /** The part of {@link #queuedTokens} that is batch-job work. */
    private long batchWorkTokens;
    private long lastInteractive = System.nanoTime() - QUIET_NANOS;
    private final Thread worker;
    private volatile boolean running = true;
    /** Measured, for admission and a retry-after that means something; starts at what this CPU class does. */
    private volatile double tokensPerSecond = 5_000;

    /** @param minRoundTokens the least a round takes: one inference pass ({@code max-batch-tokens}) */
    InferenceQueue(String provider, OnnxEncoder encoder, long maxQueuedTokens, Duration maxQueueWait, int minRoundTokens) {
        this.provider = provider;
        this.encoder = encoder;
        this.maxQueuedTokens = maxQueuedTokens;
        this.maxQueueWait = maxQueueWait;
        this.minRoundTokens = minRoundTokens;
        this.worker = DaemonThreads.named("onnx-" + provider).newThread(this::run);
        worker.start();
    }

    /** What may wait now: {@code maxQueueWait} of work at the measured speed, and never more than the token bound. */
    private long capacity() {
        return Math.min(maxQueuedTokens, (long) (tokensPerSecond * maxQueueWait.toMillis() / 1000.0));
    }

    /**
     * Queues the sequences of one request, one vector each, in order.
     *
     * @throws OverloadedException when what waits already is at the bound (below it, a request is taken however
     *                             large: it is never starved by a trickle of small ones; a small one is refused
     *                             only at the token bound)
     */
    List<CompletableFuture<float[]>> submit(List<int[]> sequences, Priority priority) {
        long tokens = sequences.stream().mapToLong(s -> s.length).sum();
        List<Work> work = sequences.stream().map(s -> new Work(s, new CompletableFuture<>(), priority)).toList();
        boolean small = tokens <= minRoundTokens;
        boolean batchWork = priority == Priority.BATCH;
        lock.lock();
        try {
            long capacity = small && !batchWork ? maxQueuedTokens : capacity();
            long waitingAhead = batchWork ? queuedTokens : queuedTokens - batchWorkTokens;
            if (waitingAhead >= capacity) {
                // True at the measured speed: by then what waits has drained below the bound. Tokens leave the
                // queue when their round ends, so a round more; and one more, since the speed is an estimate
                // (CI saw a client come back after a wait one round short and be refused again).
                long seconds = Math.max(1, (long) Math.ceil((waitingAhead - capacity + 1) / tokensPerSecond
                        + 2 * ROUND_SECONDS));
                throw new OverloadedException("provider " + provider + " has " + waitingAhead + " tokens waiting, about "
                        + Math.round(waitingAhead / tokensPerSecond) + " s of work, the most it queues"
                        + (batchWork ? " with batch work" : "") + "; retry in " + seconds + " s", Duration.ofSeconds(seconds));
            }
            queuedTokens += tokens;
            if (batchWork) {
                batchWorkTokens += tokens;
            } else {
                lastInteractive = System.nanoTime();
            }
            (batchWork ? batchWorkRequests : interactiveRequests).add(new ArrayDeque<>(work));
            waiting.signal();
        } finally {
            lock.unlock();
        }
        return work.stream().map(Work::vector).toList();
    }

    /** Tokens waiting or being embedded. */
    long queuedTokens() {
        lock.lock();
        try {
            return queuedTokens;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next round: a sequence from each waiting request in turn, until about a second of work; empty
     * once stopped with nothing left.
     */
    private List<Work> nextRound() throws InterruptedException {
        lock.lock();
        try {
            while (interactiveRequests.isEmpty() && batchWorkRequests.isEmpty()) {
                if (!running) {
                    return List.of();
                }
                waiting.await(100, TimeUnit.MILLISECONDS);
            }
            List<Work> round = new ArrayList<>();
            if (interactiveRequests.isEmpty()) {
                // Batch-job work alone: a text or two while interactive requests come, so that one arriving now
                // waits for no more; a whole inference pass once they have stopped for a while.
                boolean quiet = System.nanoTime() - lastInteractive > QUIET_NANOS;
                take(batchWorkRequests, round, quiet ? minRoundTokens : BATCH_WORK_ROUND_TOKENS);
            } else {
                take(interactiveRequests, round, Math.max(minRoundTokens, (long) (tokensPerSecond * ROUND_SECONDS)));
            }
            return round;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a sequence from each of {@code queue}'s requests in turn until the round has {@code budget} tokens. */
    private static void take(ArrayDeque<ArrayDeque<Work>> queue, List<Work> round, long budget) {
        long tokens = 0;
        while (!queue.isEmpty() && tokens < budget) {
            ArrayDeque<Work> request = queue.poll();
            Work next = request.poll();
            round.add(next);
            tokens += next.ids().length;
            if (!request.isEmpty()) {
                queue.add(request);
            }
        }
    }

    private void run() {
        try {
            for (List<Work> round = nextRound(); !round.isEmpty(); round = nextRound()) {
                embed(round);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void embed(List<Work> round) {
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
        long batchWork = round.stream().filter(w -> w.priority() == Priority.BATCH).mapToLong(w -> w.ids().length).sum();
        lock.lock();
        try {
            queuedTokens -= tokens;
            batchWorkTokens -= batchWork;
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            ProviderFailedException failed = new ProviderFailedException("provider " + provider + ": inference failed: "
                    + failure.getMessage(), ProviderFailedException.Reason.UNAVAILABLE, failure);
            round.forEach(w -> w.vector().completeExceptionally(failed));
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Rounds of interactive work only: the speed is what admits interactive requests, and a round of batch-job
        // work alone (a text or two) is mostly fixed cost.
        if (seconds > 0.01 && batchWork < tokens) {
            tokensPerSecond = 0.8 * tokensPerSecond + 0.2 * (tokens / seconds);
        }
        for (int i = 0; i < round.size(); i++) {
            round.get(i).vector().complete(vectors[i]);
        }
    }

    /** Finishes what is queued, then stops: closing the session under a running inference would crash. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        worker.join(TimeUnit.SECONDS.toMillis(30));
    }
}
