package dev.embeddinggateway.cache;

import dev.embeddinggateway.core.Embedding;
import io.quarkus.cache.CaffeineCache;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The in-process backend: Caffeine through quarkus-cache, bounded in entries and time by
 * {@code gateway.cache.max-entries} and {@code gateway.cache.ttl} (application.properties passes them on).
 */
final class MemoryEmbeddingCache implements EmbeddingCache {
    private final CaffeineCache cache;

    MemoryEmbeddingCache(CaffeineCache cache) {
        this.cache = cache;
    }

    @Override
    public CompletionStage<Map<String, Embedding>> getAll(List<String> keys, int dimensions) {
        Map<String, Embedding> found = new HashMap<>();
        for (String key : keys) {
            CompletableFuture<Embedding> value = cache.getIfPresent(key);
            if (value != null && value.isDone() && !value.isCompletedExceptionally()) {
                found.put(key, value.join());
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public void putAll(Map<String, Embedding> entries) {
        entries.forEach((key, embedding) -> cache.put(key, CompletableFuture.completedFuture(embedding)));
    }

    @Override
    public String backend() {
        return "memory";
    }
}
