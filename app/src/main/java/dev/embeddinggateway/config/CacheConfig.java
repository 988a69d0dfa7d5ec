package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code gateway.cache.*}: the per-input embedding cache. */
public interface CacheConfig {
    @WithDefault("true")
    boolean enabled();

    /** {@code memory} (in-process, Caffeine) or {@code redis} (shared by every replica: quarkus.redis.hosts). */
    @WithDefault("memory")
    Backend backend();

    /** The most vectors the memory backend keeps. */
    @WithDefault("100000")
    long maxEntries();

    /** How long a vector stays cached. */
    @WithDefault("P7D")
    Duration ttl();

    /** The longest the redis backend may take before a request goes on without it. */
    @WithDefault("250ms")
    Duration redisTimeout();
}
