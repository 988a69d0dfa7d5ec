package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.routing.ProviderResult;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.usage.UsageRow;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * A request the pipeline served, past the limits, the budget and the ledger: what its client is told.
 *
 * @param route            the model that served (the answer names it)
 * @param provided         every input's vector and tokens, and who gave them
 * @param usage            what the request used and cost, for the ledger; empty for a caller not recorded (warm-up)
 * @param rateLimitHeaders OpenAI's {@code x-ratelimit-*} headers of the caller's key (none for an unlimited key)
 */
public record ServedRequest(Route route, ProviderResult provided, Optional<UsageRow> usage,
                            Map<String, String> rateLimitHeaders) {

    /** What the request cost at the provider, USD. */
    public BigDecimal costUsd() {
        return usage.map(u -> u.totals().costUsd()).orElse(BigDecimal.ZERO);
    }
}
