package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

/** {@code gateway.rate-limit.*}: where rate limits are counted, and what happens when that store is away. */
public interface RateLimitingConfig {
    /** {@code memory} (each replica alone) or {@code redis} (one count for every replica). */
    @WithDefault("memory")
    Backend backend();

    /** When Redis cannot be asked: {@code allow} the request, or {@code deny} it. */
    @WithDefault("allow")
    OnStoreFailure onStoreFailure();
}
