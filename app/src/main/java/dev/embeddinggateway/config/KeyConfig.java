package dev.embeddinggateway.config;

import java.util.List;
import java.util.Optional;

/** An API key from configuration ({@code gateway.keys.<name>.*}). */
public interface KeyConfig {
    /** Hex SHA-256 of the key: the key itself is never configured. */
    String sha256();

    String team();

    /** The models this key may use; absent = all. */
    Optional<List<String>> models();

    RateLimitConfig rateLimit();

    BudgetConfig budget();
}
