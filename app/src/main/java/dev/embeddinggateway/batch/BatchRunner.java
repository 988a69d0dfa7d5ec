package dev.embeddinggateway.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.api.EmbeddingsCalls;
import dev.embeddinggateway.api.EmbeddingsJson;
import dev.embeddinggateway.api.EmbeddingsResponse;
import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.KeyRegistry;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.DaemonThreads;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import dev.embeddinggateway.store.SqlRows;
import dev.embeddinggateway.usage.Work;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * This replica's share of the batch jobs: it leases work from the {@link BatchStore} (a batch to validate or
 * finalize, or a chunk of lines), runs each line through the same pipeline as {@code POST /v1/embeddings} as the
 * key that created the batch, and renews its leases while it works. Lines are sent to providers as batch work,
 * which a local model queues behind interactive requests. Paced: a line refused for a rate limit or overload is
 * retried after the wait it was told (or a growing one), and no new chunk is taken meanwhile, so a batch slows
 * down instead of failing its lines.
 */
@Startup
@ApplicationScoped
public class BatchRunner {
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);
    private static final int MAX_FAILED_ATTEMPTS = 3;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final BatchStore batches;
    private final FileStore files;
    private final EmbeddingsCalls calls;
    private final KeyRegistry keys;
    private final ObjectMapper json;
    private final GatewayConfig.Batches config;
    private final String worker = SqlRows.newId("replica-");
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("batch-runner"));
    private final AtomicInteger active = new AtomicInteger();
    /** Chunks this replica works on, and whether it still holds each one's lease. */
    private final Map<BatchStore.Chunk, Boolean> held = new ConcurrentHashMap<>();
    /** The batch step this replica works on now, if any: its lease is renewed while it does. */
    private volatile BatchStore.Step currentStep;
    /** No new chunk before this (epoch ms): a provider or a limit asked to wait. */
    private final AtomicLong pausedUntil = new AtomicLong();
    /** Polls that failed in a row (the store unreachable): the next waits the longer, up to half a minute. */
    private int failedPolls;
    private long nextPoll;
    private final Counter completedLines;
    private final Counter failedLines;
    private final Counter retriedLines;

    public BatchRunner(BatchStore batches, FileStore files, EmbeddingsCalls calls, KeyRegistry keys, ObjectMapper json,
                       GatewayConfig config, MeterRegistry registry) {
        this.batches = batches;
        this.files = files;
        this.calls = calls;
        this.keys = keys;
        this.json = json;
        this.config = config.batches();
        this.completedLines = lines(registry, "completed");
        this.failedLines = lines(registry, "failed");
        this.retriedLines = lines(registry, "retried");
        if (this.config.work()) {
            long poll = this.config.poll().toMillis();
            timer.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
            long renew = this.config.lease().toMillis() / 3;
            timer.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
            LOG.infof("Batch jobs: this replica (%s) works on up to %d chunks of %d lines at once", worker,
                    this.config.concurrency(), this.config.chunkLines());
        }
    }

    private static Counter lines(MeterRegistry registry, String outcome) {
        return Counter.builder("gateway.batch.lines").description("Batch request lines this replica ran, by outcome "
                + "(retried: sent again after a rate limit, an overload or a failure)").tag("outcome", outcome)
                .register(registry);
    }

    private void poll() {
        if (System.currentTimeMillis() < nextPoll) {
            return;
        }
        try {
            for (Optional<BatchStore.Step> step = batches.leaseStep(worker, config.lease()); step.isPresent();
                 step = batches.leaseStep(worker, config.lease())) {
                currentStep = step.get();
                try {
                    step(step.get());
                } finally {
                    currentStep = null;
                }
            }
            while (active.get() < config.concurrency() && System.currentTimeMillis() >= pausedUntil.get()) {
                Optional<BatchStore.Chunk> chunk = batches.leaseChunk(worker, config.lease());
                if (chunk.isEmpty()) {
                    break;
                }
                active.incrementAndGet();
                LOG.debugf("batch %s: chunk %d leased", chunk.get().batchId(), chunk.get().seq());
                run(chunk.get()).whenComplete((done, error) -> {
                    active.decrementAndGet();
                    held.remove(chunk.get());
                    if (error != null) {
                        LOG.warnf("batch %s: chunk %d not finished here (%s); another replica will take it over",
                                chunk.get().batchId(), chunk.get().seq(), error.getMessage());
                    }
                });
            }
            failedPolls = 0;
        } catch (SQLException | IOException | RuntimeException e) {
            failedPolls++;
            long wait = Math.min(MAX_BACKOFF.toMillis(), config.poll().toMillis() << Math.min(failedPolls, 10));
            nextPoll = System.currentTimeMillis() + wait;
            LOG.warnf("batch work paused for %d ms: %s", wait, e.getMessage());
        }
    }

    /** Renews the leases of what this replica works on now: no more, so work it gave up is soon taken over. */
    private void renew() {
        try {
            BatchStore.Step step = currentStep;
            if (step != null) {
                batches.renew(step, worker, config.lease());
            }
            for (BatchStore.Chunk chunk : held.keySet()) {
                if (held.getOrDefault(chunk, false) && !batches.renew(chunk, worker, config.lease())) {
                    held.computeIfPresent(chunk, (c, holding) -> false);
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("batch leases not renewed: %s", e.getMessage());
        }
    }

    /** Validates, cancels, expires or completes a batch, as its state asks. */
    private void step(BatchStore.Step step) throws SQLException, IOException {
        LOG.debugf("batch %s: %s, leased for its own step", step.batchId(), step.status());
        switch (step.status()) {
            case Batch.VALIDATING -> validate(step);
            case Batch.CANCELLING -> batches.end(step, worker, Batch.CANCELLED, unrun("batch_cancelled",
                    "This request was not run: the batch was cancelled."), files);
            default -> {
                boolean expired = step.expiresAt() < BatchStore.now();
                // Completed: every line has its result, and none is told it was not run; said all the same, so that
                // every custom_id is in a file whatever happens.
                batches.end(step, worker, expired ? Batch.EXPIRED : Batch.COMPLETED, expired ? unrun("batch_expired",
                        "This request could not be executed before the completion window expired.")
                        : unrun("request_not_run", "This request was not run."), files);
            }
        }
    }

    private void validate(BatchStore.Step step) throws SQLException, IOException {
        String errors = null;
        boolean started = false;
        try (BatchStore.Loading loading = batches.load(step, worker, config.chunkLines());
             InputStream content = files.open(step.inputFileId())) {
            BatchInput input = BatchInput.read(content, step.endpoint(), loading::add);
            if (input.valid()) {
                started = loading.start();
            } else {
                errors = input.errorsJson();
            }
        }
        if (errors != null) {
            batches.fail(step, worker, errors);
        } else if (!started) {
            // Cancelled while it was read: the lease goes, and the next poll ends it.
            batches.release(step, worker);
        }
    }

    private BatchStore.Unrun unrun(String code, String message) {
        return customId -> line(customId, null, Map.of("code", code, "message", message));
    }

    private CompletableFuture<Void> run(BatchStore.Chunk chunk) {
        held.put(chunk, true);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return batches.lines(chunk);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }, timer).thenCompose(lines -> {
            Optional<Caller> caller = keys.byId(chunk.owner());
            List<CompletableFuture<BatchStore.Result>> results = new ArrayList<>();
            for (BatchStore.Line line : lines) {
                results.add(caller.map(c -> run(chunk, c, line, 0)).orElseGet(() -> CompletableFuture.completedFuture(
                        failure(line, new ApiException(401, new ApiError("The key that created this batch no longer "
                                + "exists.", ApiError.INVALID_REQUEST, null, "invalid_api_key"))))));
            }
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                    .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
        }).thenAcceptAsync(results -> {
            try {
                LOG.debugf("batch %s: chunk %d of %d lines run", chunk.batchId(), chunk.seq(), results.size());
                if (batches.finish(chunk, worker, results)) {
                    long ok = results.stream().filter(BatchStore.Result::ok).count();
                    completedLines.increment(ok);
                    failedLines.increment(results.size() - ok);
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }, timer);
    }

    /** One line, through the pipeline; retried while the answer says to wait and the chunk is still ours. */
    private CompletableFuture<BatchStore.Result> run(BatchStore.Chunk chunk, Caller caller, BatchStore.Line line, int failures) {
        CompletableFuture<EmbeddingsResponse> reply;
        try {
            reply = calls.serve(caller, EmbeddingsJson.parse(line.body()), true, Work.batchLine(chunk.batchId()))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((served, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(new BatchStore.Result(line.lineNo(),
                        line(line.customId(), response(200, served.body()), null), true));
            }
            ApiException answer = ApiExceptionMappers.toApiException(error, "batch " + chunk.batchId() + " line "
                    + line.lineNo());
            boolean waitAsked = (answer.status() == 429 && !"insufficient_quota".equals(answer.error().code()))
                    || answer.status() == 503;
            boolean failedUpstream = answer.status() >= 500 && !waitAsked && failures + 1 < MAX_FAILED_ATTEMPTS;
            if ((waitAsked || failedUpstream) && held.getOrDefault(chunk, false)) {
                Duration wait = wait(answer, failures);
                pausedUntil.accumulateAndGet(System.currentTimeMillis() + wait.toMillis(), Math::max);
                retriedLines.increment();
                LOG.debugf("batch %s line %d: %d, again in %s", chunk.batchId(), line.lineNo(), answer.status(), wait);
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, timer))
                        .thenCompose(x -> run(chunk, caller, line, waitAsked ? failures : failures + 1));
            }
            return CompletableFuture.completedFuture(failure(line, answer));
        }).thenCompose(result -> result);
    }

    /** What the answer said to wait, else one second doubled with each failure, at most {@link #MAX_BACKOFF}. */
    private static Duration wait(ApiException answer, int failures) {
        String retryAfter = answer.headers().get("retry-after");
        if (retryAfter != null && retryAfter.matches("\\d{1,5}")) {
            return Duration.ofSeconds(Long.parseLong(retryAfter));
        }
        Duration backoff = Duration.ofSeconds(1L << Math.min(failures, 5));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    private BatchStore.Result failure(BatchStore.Line line, ApiException answer) {
        return new BatchStore.Result(line.lineNo(), line(line.customId(), response(answer.status(), answer.error().body()),
                null), false);
    }

    private static Map<String, Object> response(int status, Object body) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status_code", status);
        response.put("request_id", SqlRows.newId("req_"));
        response.put("body", body);
        return response;
    }

    /** A line of the output or error file, as OpenAI writes it. */
    private byte[] line(String customId, Map<String, Object> response, Map<String, String> error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", SqlRows.newId("batch_req_"));
        line.put("custom_id", customId);
        line.put("response", response);
        line.put("error", error);
        try {
            return json.writeValueAsBytes(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch result line could not be written", e);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
