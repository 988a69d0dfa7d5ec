package dev.embeddinggateway.provider.cohere;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.provider.rest.CloudProviderFactory;
import dev.embeddinggateway.provider.rest.RestUpstream;

/** Type {@code cohere}: Cohere's embeddings API. */
public final class CohereProviderFactory extends CloudProviderFactory {

    public CohereProviderFactory() {
        super("cohere", "Cohere", "https://api.cohere.com");
    }

    @Override
    protected EmbeddingProvider create(RestUpstream upstream, int maxConcurrency) {
        return new CohereEmbeddingProvider(upstream.name(), upstream.client(CohereApi.class), maxConcurrency);
    }
}
