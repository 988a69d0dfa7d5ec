package dev.embeddinggateway.limits;

import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.ops.OncePerMinute;
import dev.embeddinggateway.routing.GatewayConfig;
import dev.embeddinggateway.routing.ProviderAdmission;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Requests and tokens per minute, per API key and per provider instance, counted in this process (Bucket4j)
 * or in Redis for every replica ({@code gateway.rate-limit.backend}). When Redis cannot answer,
 * {@code gateway.rate-limit.on-store-failure} decides: allow (default) or deny.
 */
@ApplicationScoped
public class RateLimits implements ProviderAdmission {
    private static final Logger LOG = Logger.getLogger(RateLimits.class);

    /** What the key's limits say of one request. */
    public record Verdict(boolean allowed, Optional<String> exceeded, Duration retryAfter, Map<String, String> headers) {
        static final Verdict UNLIMITED = new Verdict(true, Optional.empty(), Duration.ZERO, Map.of());
    }

    private final LimitStore store;
    private final boolean allowOnStoreFailure;
    private final Map<String, GatewayConfig.RateLimit> providerLimits = new LinkedHashMap<>();
    private final Counter storeFailures;
    private final OncePerMinute warning = new OncePerMinute();

    public RateLimits(GatewayConfig config, Instance<Redis> redis, MeterRegistry registry) {
        GatewayConfig.RateLimiting settings = config.rateLimit();
        store = switch (settings.backend()) {
            case "memory" -> new MemoryLimitStore();
            case "redis" -> new RedisLimitStore(redis.get());
            default -> throw new IllegalArgumentException("gateway.rate-limit.backend=" + settings.backend()
                    + " is not a limit store; use memory or redis");
        };
        allowOnStoreFailure = switch (settings.onStoreFailure()) {
            case "allow" -> true;
            case "deny" -> false;
            default -> throw new IllegalArgumentException("gateway.rate-limit.on-store-failure must be allow or deny");
        };
        config.providers().forEach((name, p) -> providerLimits.put(name, p.rateLimit()));
        storeFailures = Counter.builder("gateway.rate.limit.store.failures")
                .description("Rate-limit decisions the store could not make (then on-store-failure decided)").register(registry);
    }

    /** The key's requests-per-minute (1) and tokens-per-minute ({@code tokens}) limits. */
    public CompletionStage<Verdict> admit(Caller caller, long tokens) {
        if (caller.requestsPerMinute().isEmpty() && caller.tokensPerMinute().isEmpty()) {
            return CompletableFuture.completedFuture(Verdict.UNLIMITED);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        return consume("key:" + caller.keyId() + ":requests", caller.requestsPerMinute(), 1)
                .thenCompose(requests -> {
                    requests.ifPresent(d -> headers.putAll(headers("requests", d)));
                    if (requests.isPresent() && !requests.get().allowed()) {
                        return CompletableFuture.completedFuture(rejected("requests", requests.get(), headers));
                    }
                    return consume("key:" + caller.keyId() + ":tokens", caller.tokensPerMinute(), tokens).thenApply(t -> {
                        t.ifPresent(d -> headers.putAll(headers("tokens", d)));
                        if (t.isPresent() && !t.get().allowed()) {
                            // The request was counted; it is not going through after all.
                            caller.requestsPerMinute().ifPresent(rpm -> store.adjust("key:" + caller.keyId() + ":requests", rpm, -1));
                            return rejected("tokens", t.get(), headers);
                        }
                        return new Verdict(true, Optional.empty(), Duration.ZERO, Map.copyOf(headers));
                    });
                })
                .exceptionally(error -> storeFailed(error));
    }

    /** After the answer: what the model counted replaces the estimate in the key's token limit. */
    public void reconcile(Caller caller, long estimatedTokens, long actualTokens) {
        caller.tokensPerMinute().ifPresent(tpm -> adjustQuietly("key:" + caller.keyId() + ":tokens", tpm,
                actualTokens - estimatedTokens));
    }

    @Override
    public CompletionStage<Optional<Duration>> admit(String provider, long tokens) {
        GatewayConfig.RateLimit limit = providerLimits.get(provider);
        if (limit == null || limit.requestsPerMinute().isEmpty() && limit.tokensPerMinute().isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String id = "provider:" + provider;
        return consume(id + ":requests", limit.requestsPerMinute(), 1).thenCompose(requests -> {
            if (requests.isPresent() && !requests.get().allowed()) {
                return CompletableFuture.completedFuture(Optional.of(requests.get().reset()));
            }
            return consume(id + ":tokens", limit.tokensPerMinute(), tokens).thenApply(t -> {
                if (t.isPresent() && !t.get().allowed()) {
                    limit.requestsPerMinute().ifPresent(rpm -> store.adjust(id + ":requests", rpm, -1));
                    return Optional.of(t.get().reset());
                }
                return Optional.<Duration>empty();
            });
        }).exceptionally(error -> storeFailed(error).allowed() ? Optional.empty() : Optional.of(Duration.ofSeconds(1)));
    }

    @Override
    public void reconcile(String provider, long estimatedTokens, long actualTokens) {
        GatewayConfig.RateLimit limit = providerLimits.get(provider);
        if (limit != null) {
            limit.tokensPerMinute().ifPresent(tpm -> adjustQuietly("provider:" + provider + ":tokens", tpm,
                    actualTokens - estimatedTokens));
        }
    }

    @Override
    public boolean countsTokens(String provider) {
        GatewayConfig.RateLimit limit = providerLimits.get(provider);
        return limit != null && limit.tokensPerMinute().isPresent();
    }

    private CompletionStage<Optional<LimitDecision>> consume(String id, Optional<Long> perMinute, long amount) {
        return perMinute.isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
                : store.consume(id, perMinute.get(), amount).thenApply(Optional::of);
    }

    private void adjustQuietly(String id, long perMinute, long delta) {
        if (delta != 0) {
            store.adjust(id, perMinute, delta).exceptionally(error -> {
                storeFailed(error);
                return null;
            });
        }
    }

    private static Verdict rejected(String kind, LimitDecision decision, Map<String, String> headers) {
        return new Verdict(false, Optional.of(kind), decision.reset(), Map.copyOf(headers));
    }

    /** OpenAI's x-ratelimit-* headers of one limit. */
    private static Map<String, String> headers(String kind, LimitDecision decision) {
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
            LOG.warnf("Rate-limit store unreachable (%s); requests are %s until it answers", error.getMessage(),
                    allowOnStoreFailure ? "allowed" : "denied");
        }
        return allowOnStoreFailure ? Verdict.UNLIMITED
                : new Verdict(false, Optional.of("store"), Duration.ofSeconds(1), Map.of());
    }
}
