package dev.embeddinggateway.config;

import io.smallrye.config.WithParentName;

import java.util.Map;

/** A provider instance ({@code gateway.providers.<name>.*}): its type and options. */
public interface ProviderConfig {
    /** The plugin that runs this instance: {@code onnx}, {@code openai}, … */
    String type();

    /**
     * Every key under {@code gateway.providers.<name>.}: the plugin's options, checked against what its
     * factory declares, and the gateway's own ({@code type}, {@code circuit-breaker.*}, {@code rate-limit.*}).
     */
    @WithParentName
    Map<String, String> options();

    /** This instance's own circuit-breaker settings, where they differ from {@code gateway.circuit-breaker}. */
    CircuitBreakerOverrideConfig circuitBreaker();

    /** Limits that keep the gateway inside the upstream account's quota. */
    RateLimitConfig rateLimit();
}
