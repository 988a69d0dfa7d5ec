package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

public interface RateLimitingConfig {
    /** {@code memory} (each replica alone) or {@code redis} (one count for every replica). */
    @WithDefault("memory")
    Backend backend();

    /** When Redis cannot be asked: {@code allow} the request, or {@code deny} it. */
    @WithDefault("allow")
    OnStoreFailure onStoreFailure();
}
