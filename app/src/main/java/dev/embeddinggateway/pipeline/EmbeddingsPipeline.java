package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.cache.CachingEmbedder;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.support.AsyncFailures;
import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import dev.embeddinggateway.limits.LimitHolder;
import dev.embeddinggateway.limits.PerMinute;
import dev.embeddinggateway.limits.RateLimits;
import dev.embeddinggateway.limits.Refusal;
import dev.embeddinggateway.routing.ProviderResult;
import dev.embeddinggateway.routing.ProviderRouter;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.routing.RoutedInputs;
import dev.embeddinggateway.routing.Routes;
import dev.embeddinggateway.tracing.Tracing;
import dev.embeddinggateway.usage.Budgets;
import dev.embeddinggateway.usage.UsageLedger;
import dev.embeddinggateway.usage.UsageRow;
import dev.embeddinggateway.usage.Work;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The request path of {@code POST /v1/embeddings}, without HTTP: the caller's model → dimensions → tokens (once,
 * when the caller's limits need them) → budget hold → the key's rate limits → cache → providers, with failover
 * → ledger → limits reconciled. Refusals are {@link ApiException}s in OpenAI's shape.
 */
@ApplicationScoped
public class EmbeddingsPipeline {
    /** The model a refusal of a call that names none is counted under. */
    private static final String NO_MODEL = "none";
    private final ProviderRouter router;
    private final CachingEmbedder cache;
    private final RateLimits limits;
    private final Budgets budgets;
    private final UsageLedger ledger;
    private final MeterRegistry registry;
    private final Tracing tracing;

    public EmbeddingsPipeline(ProviderRouter router, CachingEmbedder cache, RateLimits limits, Budgets budgets,
                              UsageLedger ledger, MeterRegistry registry, Tracing tracing) {
        this.tracing = tracing;
        this.router = router;
        this.cache = cache;
        this.limits = limits;
        this.budgets = budgets;
        this.ledger = ledger;
        this.registry = registry;
    }

    /**
     * Serves one request of {@code caller}. Up to the budget hold it runs on the calling thread, which may block
     * briefly (tokenizing, reading the ledger); then no thread waits for the provider.
     *
     * @param route    the request's model, as {@link #route} resolved it for the caller
     * @param useCache false to neither read nor write the cache ({@code Cache-Control: no-store})
     * @param work     a client waiting on its answer, or a batch job's line: served after interactive work where a
     *                 provider queues, and tagged with the batch in the ledger
     */
    public CompletionStage<ServedRequest> embed(Caller caller, Route route, ClientRequest request, boolean useCache,
                                                Work work) {
        // The request's span (Quarkus's, for an HTTP request): the parent of what follows, on whichever thread.
        Context trace = Context.current();
        Span span = Span.fromContext(trace).setAttribute(Tracing.OPERATION, Tracing.EMBEDDINGS)
                .setAttribute(Tracing.REQUEST_MODEL, route.name());
        RoutedInputs inputs = RoutedInputs.of(route, request.inputs(), dimensions(route, request), request.user(),
                request.inputType(), work.priority(), trace);
        if (caller.countsTokens()) {
            // The key's token limit and budget need the count before the call; the same tokens go to the provider.
            inputs = await(inputs.tokenizedBy(route.providers().get(0)));
        }
        long tokens = caller.countsTokens() ? inputs.tokensSeen() : 0;
        Budgets.Reservation reservation = reserve(caller, route, tokens);
        RoutedInputs counted = inputs;
        // From here every outcome, whether refused, failed or served, passes the one settlement at the end.
        return CompletableFuture.completedFuture(holder(caller))
                .thenCompose(holder -> tracing.around("gateway.limits", trace,
                        limitsSpan -> limits.admit(holder, caller.rateLimit(), tokens)))
                .thenCompose(verdict -> {
                    if (!verdict.allowed()) {
                        throw refused(route, caller, verdict.exceeded().orElseThrow(), rateLimited(caller, verdict, tokens));
                    }
                    return cache.embed(counted, useCache).thenApply(served -> {
                        span.setAttribute(Tracing.RESPONSE_MODEL, route.upstreamModel())
                                .setAttribute(Tracing.PROVIDER, served.provider())
                                .setAttribute(Tracing.INPUT_TOKENS, served.result().promptTokens())
                                .setAttribute(CachingEmbedder.HITS, served.cacheHits())
                                .setAttribute(CachingEmbedder.MISSES, counted.inputs().size() - served.cacheHits());
                        Optional<UsageRow> usage = caller.recorded() ? Optional.of(recorded(route, served, caller, work, trace))
                                : Optional.empty();
                        limits.reconcile(holder(caller), caller.rateLimit(), tokens, served.result().promptTokens());
                        return new ServedRequest(route, served, usage, verdict.headers());
                    });
                })
                .whenComplete((answer, error) -> reservation.settle(answer == null ? BigDecimal.ZERO : answer.costUsd()));
    }

    /**
     * Hands what was served to the ledger, in a span of its own. A batch line's usage is not: it is billed when its
     * result is stored (the batch runner stores both at once), so that a line whose result is dropped (its batch
     * cancelled, the replica stopped) is not billed, and is billed when it is run again.
     */
    private UsageRow recorded(Route route, ProviderResult served, Caller caller, Work work, Context trace) {
        Span span = tracing.start("gateway.ledger", trace, SpanKind.INTERNAL);
        try {
            UsageRow usage = ledger.usage(route, served, caller.keyId(), caller.team(), work);
            if (work.batchId().isEmpty()) {
                ledger.add(usage);
            }
            return usage;
        } finally {
            span.end();
        }
    }

    /**
     * For a call that uses a model without embedding ({@code POST /v1/tokenize}): the caller's model, admitted as one
     * request against the key's request limit, with no tokens (nothing is embedded, nothing billed).
     */
    public CompletionStage<Route> admitUnbilled(Caller caller, String model) {
        Route route = route(caller, model);
        return admitRequest(caller, route.name()).thenApply(headers -> route);
    }

    /**
     * For a call that names no model and embeds nothing ({@code /v1/files}, {@code /v1/batches}): one request against
     * the key's request limit, refused as {@code /v1/embeddings} refuses one.
     *
     * @return the x-ratelimit-* headers of the answer
     */
    public CompletionStage<Map<String, String>> admitRequest(Caller caller) {
        return admitRequest(caller, NO_MODEL);
    }

    private CompletionStage<Map<String, String>> admitRequest(Caller caller, String model) {
        // The request limit only: a token limit is about embedding work, and a count of no tokens is no work.
        PerMinute requestsOnly = new PerMinute(caller.rateLimit().requests(), Optional.empty());
        return limits.admit(holder(caller), requestsOnly, 0).thenApply(verdict -> {
            if (!verdict.allowed()) {
                throw refused(model, caller, verdict.exceeded().orElseThrow(), rateLimited(caller, verdict, 0));
            }
            return verdict.headers();
        });
    }

    /** The model's route; a model whose providers have not answered yet is asked for now (404 / 503 else). */
    public Route route(Caller caller, String model) {
        Routes routes = router.routes();
        Optional<Route> route = routes.find(model);
        if (route.isEmpty() && routes.waiting(model).isPresent() && mayUse(caller, model, routes)) {
            routes.learn();
            route = routes.find(model);
            if (route.isEmpty()) {
                throw new ApiException(503, new ApiError("Model " + (model == null ? routes.defaultName() : model)
                        + " is not available yet: " + routes.waiting(model).orElse("its providers are being asked") + ".",
                        "server_error", null, "model_unavailable"), Map.of("retry-after", "10"));
            }
        }
        return route.filter(r -> caller.mayUse(r.name())).orElseThrow(() -> ApiException.modelNotFound(model));
    }

    private static boolean mayUse(Caller caller, String model, Routes routes) {
        return caller.mayUse(model == null ? routes.defaultName() : model);
    }

    private static int dimensions(Route route, ClientRequest request) {
        ModelInfo model = route.info();
        int dimensions = request.dimensions() == null ? model.dimensions() : request.dimensions();
        if (!model.accepts(dimensions)) {
            throw ApiException.invalid("Model " + route.name() + " gives " + model.dimensions() + "-dimensional vectors"
                    + (model.matryoshka() ? " and takes 'dimensions' up to that" : " and takes no other 'dimensions'")
                    + "; " + dimensions + " was asked for.", "dimensions");
        }
        return dimensions;
    }

    private Budgets.Reservation reserve(Caller caller, Route route, long tokens) {
        try {
            return budgets.reserve(caller, UsageLedger.usd(tokens, route.pricePerMillionTokens()))
                    .orElseThrow(() -> refused(route, caller, Refusal.BUDGET, new ApiException(429, new ApiError(
                            capitalized(caller.accountName()) + " has spent its monthly budget of "
                            + caller.monthlyBudgetUsd().orElseThrow().toPlainString() + " USD (months in UTC).",
                            "insufficient_quota", null, "insufficient_quota"))));
        } catch (SQLException e) {
            throw new ApiException(503, new ApiError("The usage store is unreachable, and " + caller.accountName()
                    + " has a budget that cannot be checked without it. Retry later.", "server_error", null,
                    "store_unavailable"));
        }
    }

    /** Whose limit the caller's requests count against, in {@link RateLimits}. */
    private static LimitHolder holder(Caller caller) {
        return LimitHolder.account(caller.account());
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private ApiException refused(Route route, Caller caller, Refusal limit, ApiException answer) {
        return refused(route.name(), caller, limit, answer);
    }

    private ApiException refused(String model, Caller caller, Refusal limit, ApiException answer) {
        Counter.builder("gateway.rate.limited.requests").description("Requests refused by the gateway's own limits or budgets")
                .tag("model", model).tag("team", caller.team()).tag("key", caller.keyId()).tag("limit", limit.tag())
                .register(registry).increment();
        return answer;
    }

    private static ApiException rateLimited(Caller caller, RateLimits.Verdict verdict, long tokens) {
        Refusal kind = verdict.exceeded().orElseThrow();
        if (kind == Refusal.TOO_LARGE) {
            return ApiException.invalid("This request has " + tokens + " tokens, more than " + caller.accountName()
                    + " may use in a whole minute (" + caller.rateLimit().tokens().orElseThrow()
                    + "). Send fewer or shorter inputs per request.", "input");
        }
        Map<String, String> headers = new LinkedHashMap<>(verdict.headers());
        headers.put("retry-after", ApiExceptionMappers.retryAfterSeconds(verdict.retryAfter()));
        if (kind == Refusal.STORE) {
            return new ApiException(503, new ApiError("The rate-limit store is unreachable and this gateway denies "
                    + "requests until it answers. Retry shortly.", "server_error", null, "rate_limit_store_unavailable"), headers);
        }
        return new ApiException(429, new ApiError("Rate limit reached for " + caller.accountName() + " on " + kind.tag()
                + " per minute. Please try again in " + headers.get("retry-after") + "s.", kind.tag(), null, "rate_limit_exceeded"), headers);
    }

    /** The stage's value; its failure rethrown as it was thrown. */
    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (AsyncFailures.unwrap(e) instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
