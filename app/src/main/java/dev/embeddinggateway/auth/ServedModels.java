package dev.embeddinggateway.auth;

/**
 * Whether the gateway serves a model by that name (what {@code GET /v1/models} lists, or one whose provider is
 * still starting): a key may only be limited to such models. Answered by the routing layer, above this one.
 */
public interface ServedModels {
    boolean serves(String model);
}
