package dev.embeddinggateway.config;

import java.time.Duration;
import java.util.Optional;

public interface CircuitBreakerOverrideConfig {
    Optional<Integer> failureThreshold();

    Optional<Duration> openFor();
}
