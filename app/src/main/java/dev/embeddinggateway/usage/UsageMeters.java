package dev.embeddinggateway.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ledger's meters: per answered request {@code gateway_requests_total}, input, billed and cached tokens,
 * cost and saved USD, tagged provider, model and team.
 */
@ApplicationScoped
public class UsageMeters {
    private final MeterRegistry registry;

    public UsageMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void recorded(String provider, String model, String team, UsageRow.Totals totals) {
        Tags tags = Tags.of("provider", provider, "model", model, "team", team);
        count("gateway.requests", "Embedding requests answered", tags, totals.requests());
        count("gateway.input.tokens", "Input tokens, as the model's tokenizer counts them", tags, totals.inputTokens());
        count("gateway.billed.tokens", "Tokens the providers embedded and charge for", tags, totals.billedTokens());
        count("gateway.cached.tokens", "Tokens served from the cache", tags, totals.cachedTokens());
        count("gateway.cost.usd", "What the providers charge, USD", tags, totals.costUsd().doubleValue());
        count("gateway.saved.usd", "What the cache saved, USD", tags, totals.savedUsd().doubleValue());
    }

    private void count(String name, String description, Tags tags, double amount) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment(amount);
    }
}
