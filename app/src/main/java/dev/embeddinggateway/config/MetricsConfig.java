package dev.embeddinggateway.config;

import java.util.Optional;

/** {@code gateway.metrics.*}: who may read {@code /q/metrics}. */
public interface MetricsConfig {
    /**
     * Hex SHA-256 of the token that may read {@code /q/metrics} once keys exist (for Prometheus); the admin
     * key may too.
     */
    Optional<String> tokenSha256();
}
