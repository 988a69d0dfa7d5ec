package dev.embeddinggateway.config;

import java.time.Duration;
import java.util.Optional;

/** A provider instance's own circuit breaker ({@code gateway.providers.<name>.circuit-breaker.*}), over the gateway's. */
public interface CircuitBreakerOverrideConfig {
    Optional<Integer> failureThreshold();

    Optional<Duration> openFor();
}
