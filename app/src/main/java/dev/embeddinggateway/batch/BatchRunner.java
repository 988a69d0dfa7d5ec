package dev.embeddinggateway.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.api.EmbeddingsCalls;
import dev.embeddinggateway.api.EmbeddingsJson;
import dev.embeddinggateway.api.EmbeddingsResponse;
import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.KeyRegistry;
import dev.embeddinggateway.auth.OidcCallers;
import dev.embeddinggateway.config.BatchesConfig;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import dev.embeddinggateway.usage.Work;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This replica's share of the batch jobs: it leases work through {@link BatchLeases} (a batch to validate or
 * finalize, or a chunk of lines), runs each line through the same pipeline as {@code POST /v1/embeddings} as the
 * key that created the batch, and renews its leases while it works. Lines are sent to providers as batch work,
 * which a local model queues behind interactive requests. Paced: a line refused for a rate limit or overload is
 * retried as {@link RetryPolicy} says, and no new chunk is taken meanwhile, so a batch slows down instead of failing
 * its lines.
 */
@Startup
@ApplicationScoped
public class BatchRunner {
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);
    /** How long a stop waits for the chunks in flight: within a platform's usual grace after the HTTP drain. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final BatchLeases leases;
    private final BatchOutputFiles outputs;
    private final Database database;
    private final FileStore files;
    private final EmbeddingsCalls calls;
    private final KeyRegistry keys;
    private final OidcCallers people;
    private final ResultLines results;
    private final BatchesConfig config;
    private final String worker = SqlRows.newId("replica-");
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("batch-runner"));
    private final AtomicInteger active = new AtomicInteger();
    /** Chunks this replica works on, and whether it still holds each one's lease. */
    private final Map<Chunk, Boolean> held = new ConcurrentHashMap<>();
    /** The batch step this replica works on now, if any: its lease is renewed while it does. */
    private volatile BatchStep currentStep;
    /** No new chunk before this (epoch ms): a provider or a limit asked to wait. */
    private final AtomicLong pausedUntil = new AtomicLong();
    /** From the stop on: no new work is taken, and what finishes late is dropped quietly (its chunk is released). */
    private volatile boolean stopping;
    /** Polls that failed in a row (the store unreachable): the next waits the longer, up to half a minute. */
    private int failedPolls;
    private long nextPoll;
    private final Counter completedLines;
    private final Counter failedLines;
    private final Counter retriedLines;

    public BatchRunner(BatchLeases leases, BatchOutputFiles outputs, Database database, FileStore files,
                       EmbeddingsCalls calls, KeyRegistry keys, OidcCallers people, ObjectMapper json, GatewayConfig config,
                       MeterRegistry registry) {
        this.leases = leases;
        this.outputs = outputs;
        this.database = database;
        this.files = files;
        this.calls = calls;
        this.keys = keys;
        this.people = people;
        this.results = new ResultLines(json);
        this.config = config.batches();
        this.completedLines = lines(registry, "completed");
        this.failedLines = lines(registry, "failed");
        this.retriedLines = lines(registry, "retried");
        if (this.config.work()) {
            long poll = this.config.poll().toMillis();
            timer.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
            long renew = this.config.lease().toMillis() / 3;
            timer.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
            LOG.infof("Batch jobs: this replica (%s) works on up to %d chunks of %d lines and %d inputs at once", worker,
                    this.config.concurrency(), this.config.chunkLines(), this.config.chunkInputs());
        }
    }

    private static Counter lines(MeterRegistry registry, String outcome) {
        return Counter.builder("gateway.batch.lines").description("Batch request lines this replica ran, by outcome "
                + "(retried: sent again after a rate limit, an overload or a failure)").tag("outcome", outcome)
                .register(registry);
    }

    private void poll() {
        if (stopping || System.currentTimeMillis() < nextPoll) {
            return;
        }
        try {
            for (Optional<BatchStep> step = leases.leaseStep(worker, config.lease()); step.isPresent();
                 step = leases.leaseStep(worker, config.lease())) {
                currentStep = step.get();
                try {
                    step(step.get());
                } finally {
                    currentStep = null;
                }
            }
            while (!stopping && active.get() < config.concurrency() && System.currentTimeMillis() >= pausedUntil.get()) {
                Optional<Chunk> chunk = leases.leaseChunk(worker, config.lease());
                if (chunk.isEmpty()) {
                    break;
                }
                active.incrementAndGet();
                LOG.debugf("batch %s: chunk %d leased", chunk.get().batchId(), chunk.get().seq());
                run(chunk.get()).whenComplete((done, error) -> {
                    active.decrementAndGet();
                    held.remove(chunk.get());
                    if (error != null && stopping) {
                        LOG.debugf("batch %s: chunk %d released at the stop (%s)", chunk.get().batchId(),
                                chunk.get().seq(), error.getMessage());
                    } else if (error != null) {
                        LOG.warnf("batch %s: chunk %d not finished here (%s); another replica will take it over",
                                chunk.get().batchId(), chunk.get().seq(), LogText.escaped(error.getMessage()));
                    }
                });
            }
            failedPolls = 0;
        } catch (SQLException | IOException | RuntimeException e) {
            failedPolls++;
            long wait = Math.min(RetryPolicy.MAX_BACKOFF.toMillis(), config.poll().toMillis() << Math.min(failedPolls, 10));
            nextPoll = System.currentTimeMillis() + wait;
            LOG.warnf("batch work paused for %d ms: %s", wait, LogText.escaped(e.getMessage()));
        }
    }

    /** Renews the leases of what this replica works on now: no more, so work it gave up is soon taken over. */
    private void renew() {
        try {
            BatchStep step = currentStep;
            if (step != null) {
                leases.renew(step, worker, config.lease());
            }
            for (Chunk chunk : held.keySet()) {
                if (held.getOrDefault(chunk, false) && !leases.renew(chunk, worker, config.lease())) {
                    held.computeIfPresent(chunk, (c, holding) -> false);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("batch leases not renewed: %s", LogText.escaped(e.getMessage()));
        }
    }

    /** Validates, cancels, expires or completes a batch, as its state asks. */
    private void step(BatchStep step) throws SQLException, IOException {
        LOG.debugf("batch %s: %s, leased for its own step", step.batchId(), step.status());
        switch (step.status()) {
            case Batch.VALIDATING -> validate(step);
            case Batch.CANCELLING -> outputs.end(step, worker, Batch.CANCELLED, results.unrun("batch_cancelled",
                    "This request was not run: the batch was cancelled."));
            default -> {
                boolean expired = step.expiresAt() < Batch.now();
                // Completed: every line has its result, and none is told it was not run; said all the same, so that
                // every custom_id is in a file whatever happens.
                outputs.end(step, worker, expired ? Batch.EXPIRED : Batch.COMPLETED, expired
                        ? results.unrun("batch_expired", "This request could not be executed before the completion window expired.")
                        : results.unrun("request_not_run", "This request was not run."));
            }
        }
    }

    private void validate(BatchStep step) throws SQLException, IOException {
        String errors = null;
        boolean started = false;
        try (LineLoading loading = LineLoading.of(database, step, worker, config.chunkLines(),
                config.chunkInputs());
             InputStream content = files.open(step.inputFileId())) {
            BatchInput input = BatchInput.read(content, step.endpoint(), loading::add);
            if (input.valid()) {
                started = loading.start();
            } else {
                errors = input.errorsJson();
            }
        }
        if (errors != null) {
            leases.fail(step, worker, errors);
        } else if (!started) {
            // Cancelled while it was read: the lease goes, and the next poll ends it.
            leases.release(step, worker);
        }
    }

    private CompletableFuture<Void> run(Chunk chunk) {
        held.put(chunk, true);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return leases.lines(chunk);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }, timer).thenCompose(lines -> {
            Optional<Caller> caller = people.batchOwner(chunk.owner(), chunk.ownerTeam()).or(() -> keys.byId(chunk.owner()));
            List<CompletableFuture<LineResult>> ran = new ArrayList<>();
            for (RequestLine line : lines) {
                ran.add(caller.map(c -> run(chunk, c, line, 0)).orElseGet(() -> CompletableFuture.completedFuture(
                        results.failed(line, new ApiException(401, new ApiError("The key that created this batch no longer "
                                + "exists.", ApiError.INVALID_REQUEST, null, "invalid_api_key"))))));
            }
            return CompletableFuture.allOf(ran.toArray(CompletableFuture[]::new))
                    .thenApply(done -> ran.stream().map(CompletableFuture::join).toList());
        }).thenAcceptAsync(done -> {
            try {
                LOG.debugf("batch %s: chunk %d of %d lines run", chunk.batchId(), chunk.seq(), done.size());
                if (leases.finish(chunk, worker, done)) {
                    long ok = done.stream().filter(LineResult::ok).count();
                    completedLines.increment(ok);
                    failedLines.increment(done.size() - ok);
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }, timer);
    }

    /** One line, through the pipeline; retried while the answer says to wait and the chunk is still ours. */
    private CompletableFuture<LineResult> run(Chunk chunk, Caller caller, RequestLine line, int failures) {
        CompletableFuture<EmbeddingsResponse> reply;
        try {
            reply = calls.serve(caller, EmbeddingsJson.parse(line.body()), true, Work.batchLine(chunk.batchId()))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((served, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(results.answered(line, served));
            }
            if (stopping) {
                // Not the line's result: its chunk is left unstored, released, and run again after the stop.
                return CompletableFuture.<LineResult>failedFuture(error);
            }
            ApiException answer = ApiExceptionMappers.toApiException(error, "batch " + chunk.batchId() + " line "
                    + line.lineNo());
            Optional<RetryPolicy.Retry> retry = RetryPolicy.after(answer, failures);
            if (retry.isPresent() && held.getOrDefault(chunk, false)) {
                Duration wait = retry.get().after();
                pausedUntil.accumulateAndGet(System.currentTimeMillis() + wait.toMillis(), Math::max);
                retriedLines.increment();
                LOG.debugf("batch %s line %d: %d, again in %s", chunk.batchId(), line.lineNo(), answer.status(), wait);
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, timer))
                        .thenCompose(x -> run(chunk, caller, line, retry.get().failure() ? failures + 1 : failures));
            }
            return CompletableFuture.completedFuture(results.failed(line, answer));
        }).thenCompose(result -> result);
    }

    /**
     * At the stop, before the store and the providers' clients close: no new work; the chunks in flight have
     * {@link #DRAIN} to finish and be stored (a line that would wait for a retry leaves its chunk unfinished); those
     * still running are released, to be run and billed by another replica or the next start, and what they finish
     * here is neither stored nor billed.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (config.work()) {
            long deadline = System.nanoTime() + DRAIN.toNanos();
            try {
                while (active.get() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.replaceAll((chunk, holding) -> false);
            try {
                leases.releaseChunks(worker);
            } catch (SQLException | RuntimeException e) {
                LOG.infof("batch chunks of this replica not released (%s): they are taken over when their leases run "
                        + "out", e.getMessage());
            }
        }
        timer.shutdown();
    }
}
