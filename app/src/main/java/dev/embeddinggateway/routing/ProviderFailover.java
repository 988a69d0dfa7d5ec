package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.AsyncFailures;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderFailedException.Reason;
import dev.embeddinggateway.usage.UsageMeters;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends a request along its route's providers in order of preference, moving on only when a provider fails
 * (never on the client's bad input), and skipping providers whose circuit is open. All the providers of a
 * route share one embedding space, so a fallback never changes what the vectors mean.
 */
final class ProviderFailover {
    private static final Logger LOG = Logger.getLogger(ProviderFailover.class);

    private final Map<String, CircuitBreaker> breakers;
    private final UsageMeters meters;
    private final ProviderAdmission admission;

    /** @param breakers one per provider instance, by name */
    ProviderFailover(Map<String, CircuitBreaker> breakers, UsageMeters meters, ProviderAdmission admission) {
        this.breakers = Map.copyOf(breakers);
        this.meters = meters;
        this.admission = admission;
    }

    CompletionStage<Gateway.Served> embed(Route route, EmbeddingRequest request) {
        List<EmbeddingProvider> candidates = route.providers().stream().filter(p -> breaker(p).allowsRequests()).toList();
        // With every circuit open, trying them beats refusing without a try.
        return attempt(route, candidates.isEmpty() ? route.providers() : candidates, request, 0);
    }

    private CompletionStage<Gateway.Served> attempt(Route route, List<EmbeddingProvider> providers,
                                                    EmbeddingRequest request, int index) {
        EmbeddingProvider provider = providers.get(index);
        // Only what goes to this provider counts against its limits (cache hits never get here).
        long tokens = admission.countsTokens(provider.name())
                ? request.inputs().stream().mapToLong(in -> provider.countTokens(request.model(), in)).sum() : 0;
        return admission.admit(provider.name(), tokens).thenCompose(wait -> wait.isPresent()
                ? next(route, providers, request, index, new ProviderFailedException("provider " + provider.name()
                + " is at the rate limit the gateway keeps for it", Reason.RATE_LIMITED, wait.get(), null))
                : call(route, providers, request, index, tokens));
    }

    private CompletionStage<Gateway.Served> call(Route route, List<EmbeddingProvider> providers, EmbeddingRequest request,
                                                 int index, long estimatedTokens) {
        EmbeddingProvider provider = providers.get(index);
        long start = System.nanoTime();
        return provider.embed(request)
                .thenApply(result -> {
                    breaker(provider).succeeded();
                    meters.providerAnswered(provider.name(), route.name(), System.nanoTime() - start);
                    admission.reconcile(provider.name(), estimatedTokens, result.promptTokens());
                    return new Gateway.Served(provider.name(), result);
                })
                .exceptionallyCompose(error -> {
                    Throwable cause = AsyncFailures.unwrap(error);
                    if (!(cause instanceof ProviderFailedException failed)) {
                        return CompletableFuture.failedStage(cause);
                    }
                    breaker(provider).failed();
                    meters.providerFailed(provider.name(), route.name());
                    return next(route, providers, request, index, failed);
                });
    }

    /** The next provider of the route, or {@code failure} when none is left. */
    private CompletionStage<Gateway.Served> next(Route route, List<EmbeddingProvider> providers, EmbeddingRequest request,
                                                 int index, ProviderFailedException failure) {
        if (index + 1 == providers.size()) {
            return CompletableFuture.failedStage(failure);
        }
        LOG.warnf("%s; model %s falls back to provider %s", failure.getMessage(), route.name(), providers.get(index + 1).name());
        return attempt(route, providers, request, index + 1);
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
