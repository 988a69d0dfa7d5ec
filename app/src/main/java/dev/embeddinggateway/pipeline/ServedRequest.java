package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.routing.ProviderResult;
import dev.embeddinggateway.routing.Route;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A request the pipeline served, past the limits, the budget and the ledger: what its client is told.
 *
 * @param route            the model that served (the answer names it)
 * @param provided         every input's vector and tokens, and who gave them
 * @param costUsd          what the request cost at the provider
 * @param rateLimitHeaders OpenAI's {@code x-ratelimit-*} headers of the caller's key (none for an unlimited key)
 */
public record ServedRequest(Route route, ProviderResult provided, BigDecimal costUsd, Map<String, String> rateLimitHeaders) {
}
