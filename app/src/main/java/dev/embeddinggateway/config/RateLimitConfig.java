package dev.embeddinggateway.config;

import java.util.Optional;

/** Requests and tokens per minute; absent = unlimited. */
public interface RateLimitConfig {
    Optional<Long> requestsPerMinute();

    Optional<Long> tokensPerMinute();
}
