package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingResult;

/**
 * What the route gave for a request's inputs, and who gave it: a provider, the cache, or both.
 *
 * @param provider     the provider instance, or {@code cache} when every input came from the cache
 * @param cacheHits    how many inputs came from the cache
 * @param cachedTokens the tokens of those inputs
 * @param billedTokens the tokens the provider embedded, as it counted them: what it charges for
 */
public record ProviderResult(String provider, EmbeddingResult result, int cacheHits, int cachedTokens, int billedTokens) {
    public ProviderResult(String provider, EmbeddingResult result) {
        this(provider, result, 0, 0, result.promptTokens());
    }

    /** The billed tokens that are the gateway's estimate (the provider counted none), for the ledger to say so. */
    public int estimatedTokens() {
        return result.estimated() ? billedTokens : 0;
    }

    /** How many inputs were cut to the model's length. */
    public long truncatedInputs() {
        return result.embeddings().stream().filter(Embedding::truncated).count();
    }
}
