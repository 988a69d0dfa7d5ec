package dev.embeddinggateway.cache;

import dev.embeddinggateway.config.CacheConfig;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.routing.ProviderResult;
import dev.embeddinggateway.routing.ProviderRouter;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.routing.RoutedInputs;
import dev.embeddinggateway.tracing.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The per-input cache in front of the providers: a batch of 100 with 90 known inputs sends 10. Inputs
 * repeated inside one request are embedded once. Only misses go to the provider; the answer keeps input
 * order, and counts every input's tokens, cached or not.
 */
@Startup
@ApplicationScoped
public class CachingEmbedder {
    private static final Logger LOG = Logger.getLogger(CachingEmbedder.class);
    /** What {@code x-gateway-provider} says when no provider was asked. */
    public static final String CACHE = "cache";
    /** Span attributes: inputs found in the cache, and not. */
    public static final String HITS = "gateway.cache.hits";
    public static final String MISSES = "gateway.cache.misses";

    private final ProviderRouter router;
    private final EmbeddingCache cache;
    private final MeterRegistry registry;
    private final Tracing tracing;

    public CachingEmbedder(ProviderRouter router, GatewayConfig config, @CacheName("embeddings") Cache memory,
                           Instance<Redis> redis, MeterRegistry registry, Tracing tracing) {
        this.router = router;
        this.tracing = tracing;
        this.registry = registry;
        CacheConfig settings = config.cache();
        this.cache = !settings.enabled() ? null : switch (settings.backend()) {
            case MEMORY -> new MemoryEmbeddingCache(memory.as(CaffeineCache.class));
            case REDIS -> new RedisEmbeddingCache(redis.get(), settings.ttl(), settings.redisTimeout(), registry);
        };
        LOG.infof("Embedding cache: %s", cache == null ? "off" : cache.backend() + ", entries expire after " + settings.ttl());
    }

    /**
     * @param useCache false for a request that says {@code Cache-Control: no-store}: it neither reads nor writes
     */
    public CompletionStage<ProviderResult> embed(RoutedInputs request, boolean useCache) {
        Route route = request.route();
        if (cache == null || !route.cached() || !useCache) {
            return router.embed(request);
        }
        List<Input> inputs = request.inputs();
        List<String> keys = inputs.stream()
                .map(in -> CacheKeys.of(route.info().space(), request.dimensions(), route.longInput(), request.inputType(), in))
                .toList();
        // Each distinct key with the position of its first input: repeats are looked up and embedded once.
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            distinct.putIfAbsent(keys.get(i), i);
        }
        return tracing.around("gateway.cache.lookup", request.trace(), span -> cache.getAll(List.copyOf(distinct.keySet()),
                request.dimensions()).thenApply(found -> {
            Lookup lookup = new Lookup(found, (int) keys.stream().filter(found::containsKey).count());
            span.setAttribute(HITS, lookup.hits()).setAttribute(MISSES, inputs.size() - lookup.hits());
            count(route, lookup.hits(), inputs.size() - lookup.hits());
            return lookup;
        })).thenCompose(lookup -> {
            Map<String, Embedding> found = lookup.found();
            int hits = lookup.hits();
            List<String> missing = distinct.keySet().stream().filter(k -> !found.containsKey(k)).toList();
            if (missing.isEmpty()) {
                return CompletableFuture.completedFuture(assemble(CACHE, keys, found, Map.of(),
                        new EmbeddingResult(List.of(), 0), hits));
            }
            return router.embed(request.only(missing.stream().map(distinct::get).toList())).thenApply(served -> {
                Map<String, Embedding> computed = new LinkedHashMap<>();
                for (int i = 0; i < missing.size(); i++) {
                    computed.put(missing.get(i), served.result().embeddings().get(i));
                }
                cache.putAll(computed);
                return assemble(served.provider(), keys, found, computed, served.result(), hits);
            });
        });
    }

    /** What the cache had of a request's keys, and how many of its inputs (repeats included) that serves. */
    private record Lookup(Map<String, Embedding> found, int hits) {
    }

    /**
     * Every input's embedding in request order. The prompt tokens are the provider's figure for what it
     * embedded, plus the stored counts of the cached inputs and of the repeats of computed ones.
     */
    private static ProviderResult assemble(String provider, List<String> keys, Map<String, Embedding> found,
                                   Map<String, Embedding> computed, EmbeddingResult computedResult, int hits) {
        int computedTokens = computedResult.promptTokens();
        List<Embedding> embeddings = new ArrayList<>(keys.size());
        int cachedTokens = 0;
        int repeatedTokens = 0;
        Set<String> counted = new HashSet<>();
        for (String key : keys) {
            Embedding fromCache = found.get(key);
            Embedding embedding = fromCache != null ? fromCache : computed.get(key);
            embeddings.add(embedding);
            if (fromCache != null) {
                cachedTokens += embedding.tokens();
            } else if (!counted.add(key)) {
                repeatedTokens += embedding.tokens();
            }
        }
        return new ProviderResult(provider, new EmbeddingResult(embeddings, computedTokens + cachedTokens + repeatedTokens,
                computedResult.estimated()), hits, cachedTokens, computedTokens);
    }

    private void count(Route route, int hits, int misses) {
        Counter.builder("gateway.cache.hits").description("Inputs served from the cache")
                .tag("model", route.name()).tag("backend", cache.backend()).register(registry).increment(hits);
        Counter.builder("gateway.cache.misses").description("Inputs not found in the cache")
                .tag("model", route.name()).tag("backend", cache.backend()).register(registry).increment(misses);
    }
}
