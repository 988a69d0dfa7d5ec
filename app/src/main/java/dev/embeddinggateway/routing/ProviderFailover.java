package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderFailedException.Reason;
import dev.embeddinggateway.core.support.AsyncFailures;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.limits.LimitHolder;
import dev.embeddinggateway.limits.PerMinute;
import dev.embeddinggateway.limits.RateLimits;
import dev.embeddinggateway.limits.Refusal;
import dev.embeddinggateway.store.CircuitBreaker;
import dev.embeddinggateway.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends inputs along their route's providers, the first as the model's {@link Balancer} picks it and the others in
 * order of preference, moving on only when a provider fails
 * (never on the client's bad input), skipping providers whose circuit is open and those at the limit the
 * gateway keeps for them. All the providers of a route share one embedding space and one tokenizer, so a
 * fallback never changes what the vectors mean, and the inputs are tokenized once whoever serves them.
 */
final class ProviderFailover {
    private static final Logger LOG = Logger.getLogger(ProviderFailover.class);

    private final Map<String, CircuitBreaker> breakers;
    private final Map<String, PerMinute> limits;
    private final ProviderMeters meters;
    private final RateLimits rateLimits;
    private final Map<String, Balancer> balancers;
    private final ProviderLoad load;
    private final Tracing tracing;

    /**
     * @param breakers  one per provider instance, by name; {@code limits} likewise
     * @param balancers by model name; a model not named falls back in order
     */
    ProviderFailover(Map<String, CircuitBreaker> breakers, Map<String, PerMinute> limits, ProviderMeters meters,
                     RateLimits rateLimits, Map<String, Balancer> balancers, ProviderLoad load, Tracing tracing) {
        this.tracing = tracing;
        this.breakers = Map.copyOf(breakers);
        this.limits = Map.copyOf(limits);
        this.meters = meters;
        this.rateLimits = rateLimits;
        this.balancers = Map.copyOf(balancers);
        this.load = load;
    }

    CompletionStage<ProviderResult> embed(RoutedInputs inputs) {
        List<EmbeddingProvider> providers = inputs.route().providers();
        List<EmbeddingProvider> candidates = providers.stream().filter(p -> breaker(p).allowsRequests()).toList();
        // With every circuit open, trying them beats refusing without a try.
        Balancer balancer = balancers.getOrDefault(inputs.route().name(), Balancer.fallback(load));
        return attempt(balancer.order(candidates.isEmpty() ? providers : candidates), inputs, 0);
    }

    private CompletionStage<ProviderResult> attempt(List<EmbeddingProvider> providers, RoutedInputs inputs, int index) {
        EmbeddingProvider provider = providers.get(index);
        PerMinute limit = limits.getOrDefault(provider.name(), PerMinute.UNLIMITED);
        // Only what goes to this provider counts against its limits (cache hits never get here).
        return inputs.tokenizedBy(provider).thenCompose(counted -> {
            long tokens = counted.tokensSeen();
            return rateLimits.admit(holder(provider), limit, tokens).thenCompose(verdict -> verdict.allowed()
                    ? call(providers, counted, index, limit, tokens)
                    : next(providers, counted, index, refusal(provider, limit, tokens, verdict)));
        });
    }

    private CompletionStage<ProviderResult> call(List<EmbeddingProvider> providers, RoutedInputs inputs, int index, PerMinute limit,
                                         long estimatedTokens) {
        EmbeddingProvider provider = providers.get(index);
        String model = inputs.route().name();
        // One span per attempt: a failover shows as a failed attempt followed by the next provider's.
        Span span = tracing.start(Tracing.EMBEDDINGS + " " + provider.name(), inputs.trace(), SpanKind.CLIENT)
                .setAttribute(Tracing.OPERATION, Tracing.EMBEDDINGS).setAttribute(Tracing.PROVIDER, provider.name())
                .setAttribute(Tracing.REQUEST_MODEL, inputs.route().upstreamModel())
                .setAttribute("gateway.attempt", index + 1);
        long start = System.nanoTime();
        load.started(provider.name());
        return tracing.within(span, () -> provider.embed(inputs.request().tracedBy(tracing.headers(span))))
                .whenComplete((result, error) -> {
                    load.ended(provider.name());
                    if (result != null) {
                        span.setAttribute(Tracing.INPUT_TOKENS, result.promptTokens());
                    }
                    Tracing.ended(span, error);
                })
                .thenApply(result -> {
                    breaker(provider).succeeded();
                    long nanos = System.nanoTime() - start;
                    meters.answered(provider.name(), model, nanos);
                    load.answered(provider.name(), nanos);
                    rateLimits.reconcile(holder(provider), limit, estimatedTokens, result.promptTokens());
                    return new ProviderResult(provider.name(), result);
                })
                .exceptionallyCompose(error -> {
                    Throwable cause = AsyncFailures.unwrap(error);
                    if (!(cause instanceof ProviderFailedException failed)) {
                        return CompletableFuture.failedStage(cause);
                    }
                    breaker(provider).failed();
                    meters.failed(provider.name(), model);
                    return next(providers, inputs, index, failed);
                });
    }

    /** Why the gateway's own limit keeps a call from the provider: for now, or for a request of this size at all. */
    private static ProviderException refusal(EmbeddingProvider provider, PerMinute limit, long tokens,
                                             RateLimits.Verdict verdict) {
        if (verdict.exceeded().orElseThrow() == Refusal.TOO_LARGE) {
            return new BadInputException("This request has " + tokens + " tokens, more than provider " + provider.name()
                    + " may take in a whole minute (" + limit.tokens().orElseThrow() + ", the gateway's limit for it). "
                    + "Send fewer or shorter inputs per request.", "input", null);
        }
        return new ProviderFailedException("provider " + provider.name() + " is at the rate limit the gateway keeps for it",
                Reason.RATE_LIMITED, verdict.retryAfter(), null);
    }

    /** The next provider of the route, or {@code failure} when none is left. */
    private CompletionStage<ProviderResult> next(List<EmbeddingProvider> providers, RoutedInputs inputs, int index,
                                         ProviderException failure) {
        if (index + 1 == providers.size()) {
            return CompletableFuture.failedStage(failure);
        }
        LOG.warnf("%s; model %s falls back to provider %s", LogText.escaped(failure.getMessage()), inputs.route().name(),
                providers.get(index + 1).name());
        return attempt(providers, inputs, index + 1);
    }

    /** Whose limit a provider call counts against, in {@link RateLimits}. */
    private static LimitHolder holder(EmbeddingProvider provider) {
        return LimitHolder.provider(provider.name());
    }

    private CircuitBreaker breaker(EmbeddingProvider provider) {
        return breakers.get(provider.name());
    }

    boolean allowsRequests(EmbeddingProvider provider) {
        return breaker(provider).allowsRequests();
    }

    String circuitState(EmbeddingProvider provider) {
        return breaker(provider).state();
    }
}
