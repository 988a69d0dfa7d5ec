package dev.embeddinggateway.config;

import java.util.List;
import java.util.Optional;

public interface KeyConfig {
    /** Hex SHA-256 of the key: the key itself is never configured. */
    String sha256();

    String team();

    /** The models this key may use; absent = all. */
    Optional<List<String>> models();

    RateLimitConfig rateLimit();

    BudgetConfig budget();
}
