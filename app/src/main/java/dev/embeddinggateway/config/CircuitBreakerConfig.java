package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code gateway.circuit-breaker.*}: when a provider that keeps failing is skipped. */
public interface CircuitBreakerConfig {
    /** Consecutive failures after which a provider is skipped. */
    @WithDefault("5")
    int failureThreshold();

    /** How long it is skipped before one request tries it again. */
    @WithDefault("30s")
    Duration openFor();
}
