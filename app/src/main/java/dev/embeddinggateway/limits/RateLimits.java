package dev.embeddinggateway.limits;

import dev.embeddinggateway.config.Backend;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.config.OnStoreFailure;
import dev.embeddinggateway.config.RateLimitingConfig;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.store.OncePerMinute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Requests and tokens per minute, of API keys and of provider instances alike, counted in this process
 * (Bucket4j) or in Redis for every replica ({@code gateway.rate-limit.backend}). When Redis cannot answer,
 * {@code gateway.rate-limit.on-store-failure} decides: allow (default) or deny.
 */
@ApplicationScoped
public class RateLimits {
    private static final Logger LOG = Logger.getLogger(RateLimits.class);

    /**
     * What a holder's limits say of one request.
     *
     * @param exceeded why it is refused: never {@link Refusal#BUDGET}, which budgets decide; empty when allowed
     */
    public record Verdict(Optional<Refusal> exceeded, Duration retryAfter, Map<String, String> headers) {
        static final Verdict UNLIMITED = new Verdict(Optional.empty(), Duration.ZERO, Map.of());

        public boolean allowed() {
            return exceeded.isEmpty();
        }
    }

    private final LimitStore store;
    private final boolean allowOnStoreFailure;
    private final Counter storeFailures;
    private final OncePerMinute warning = new OncePerMinute();

    public RateLimits(GatewayConfig config, LimitsRedis redis, MeterRegistry registry) {
        RateLimitingConfig settings = config.rateLimit();
        store = settings.backend() == Backend.REDIS ? new RedisLimitStore(redis.client()) : new MemoryLimitStore();
        allowOnStoreFailure = settings.onStoreFailure() == OnStoreFailure.ALLOW;
        storeFailures = Counter.builder("gateway.rate.limit.store.failures")
                .description("Rate-limit decisions the store could not make (then on-store-failure decided)").register(registry);
    }

    /**
     * Takes one request and {@code tokens} from the limits of {@code holder}: both, or neither when either is used up.
     */
    public CompletionStage<Verdict> admit(LimitHolder holder, PerMinute limit, long tokens) {
        if (limit.isUnlimited()) {
            return CompletableFuture.completedFuture(Verdict.UNLIMITED);
        }
        if (limit.tokens().isPresent() && tokens > limit.tokens().get()) {
            return CompletableFuture.completedFuture(new Verdict(Optional.of(Refusal.TOO_LARGE), Duration.ZERO, Map.of()));
        }
        return store.admit(holder.id(), limit, tokens).thenApply(RateLimits::verdict).exceptionally(this::storeFailed);
    }

    private static Verdict verdict(LimitStore.Admission admission) {
        Map<String, String> headers = new LinkedHashMap<>();
        admission.requests().ifPresent(d -> headers.putAll(headers(Refusal.REQUESTS, d)));
        admission.tokens().ifPresent(d -> headers.putAll(headers(Refusal.TOKENS, d)));
        if (admission.allowed()) {
            return new Verdict(Optional.empty(), Duration.ZERO, Map.copyOf(headers));
        }
        boolean byRequests = admission.requests().map(d -> !d.allowed()).orElse(false);
        LimitDecision refusing = (byRequests ? admission.requests() : admission.tokens()).orElseThrow();
        return new Verdict(Optional.of(byRequests ? Refusal.REQUESTS : Refusal.TOKENS), refusing.reset(), Map.copyOf(headers));
    }

    /** After the answer: what the model counted replaces the estimate in the holder's token limit. */
    public void reconcile(LimitHolder holder, PerMinute limit, long estimatedTokens, long actualTokens) {
        long delta = actualTokens - estimatedTokens;
        if (limit.tokens().isPresent() && delta != 0) {
            store.adjustTokens(holder.id(), limit.tokens().get(), delta).exceptionally(error -> {
                storeFailed(error);
                return null;
            });
        }
    }

    /** OpenAI's x-ratelimit-* headers of one limit. */
    private static Map<String, String> headers(Refusal limit, LimitDecision decision) {
        String kind = limit.tag();
        return Map.of("x-ratelimit-limit-" + kind, Long.toString(decision.limit()),
                "x-ratelimit-remaining-" + kind, Long.toString(decision.remaining()),
                "x-ratelimit-reset-" + kind, resetText(decision.reset()));
    }

    /** As OpenAI writes it: "6s", "1m0s", "250ms". */
    static String resetText(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = (millis + 999) / 1000;
        return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + seconds % 60 + "s";
    }

    private Verdict storeFailed(Throwable error) {
        storeFailures.increment();
        if (warning.due()) {
            LOG.warnf("Rate-limit store unreachable (%s); requests are %s until it answers", LogText.escaped(error.getMessage()),
                    allowOnStoreFailure ? "allowed" : "denied");
        }
        return allowOnStoreFailure ? Verdict.UNLIMITED
                : new Verdict(Optional.of(Refusal.STORE), Duration.ofSeconds(1), Map.of());
    }
}
