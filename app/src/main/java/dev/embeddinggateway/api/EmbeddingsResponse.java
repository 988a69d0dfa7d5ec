package dev.embeddinggateway.api;

import dev.embeddinggateway.pipeline.ServedRequest;

/**
 * What a {@code /v1/embeddings} client receives: the JSON body OpenAI's API answers, and the served request the
 * gateway's headers come from.
 */
public record EmbeddingsResponse(ServedRequest served, Object body) {
}
