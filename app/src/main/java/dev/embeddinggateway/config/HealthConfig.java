package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code gateway.health.*}: the providers' free checks, shown in health (never a readiness condition). */
public interface HealthConfig {
    /**
     * How often each provider's free check runs (OpenAI {@code GET /models}, TEI {@code /health}, Ollama
     * {@code /api/version}); {@code 0s} turns it off. Its result is shown, never a readiness condition.
     */
    @WithDefault("30s")
    Duration providerCheckInterval();
}
