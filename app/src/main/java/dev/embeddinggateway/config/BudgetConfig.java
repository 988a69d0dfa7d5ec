package dev.embeddinggateway.config;

import java.math.BigDecimal;
import java.util.Optional;

public interface BudgetConfig {
    /** USD per calendar month (UTC). */
    Optional<BigDecimal> monthlyUsd();
}
