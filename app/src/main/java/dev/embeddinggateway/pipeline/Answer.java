package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.routing.Served;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A served request: what its client is told.
 *
 * @param route            the model that served (the answer names it)
 * @param served           every input's vector and tokens, and who gave them
 * @param costUsd          what the request cost at the provider
 * @param rateLimitHeaders OpenAI's {@code x-ratelimit-*} headers of the caller's key (none for an unlimited key)
 */
public record Answer(Route route, Served served, BigDecimal costUsd, Map<String, String> rateLimitHeaders) {
}
