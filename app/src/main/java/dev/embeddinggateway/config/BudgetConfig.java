package dev.embeddinggateway.config;

import java.math.BigDecimal;
import java.util.Optional;

/** A monthly budget in USD ({@code .budget.*} of a key, of signed-in subjects, of a team). */
public interface BudgetConfig {
    /** USD per calendar month (UTC). */
    Optional<BigDecimal> monthlyUsd();
}
