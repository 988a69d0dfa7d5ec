package dev.embeddinggateway.provider.voyage;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.provider.rest.CloudProviderFactory;
import dev.embeddinggateway.provider.rest.RestUpstream;

/** Type {@code voyage}: Voyage's embeddings API. */
public final class VoyageProviderFactory extends CloudProviderFactory {

    public VoyageProviderFactory() {
        super("voyage", "Voyage", "https://api.voyageai.com/v1");
    }

    @Override
    protected EmbeddingProvider create(RestUpstream upstream, int maxConcurrency) {
        return new VoyageEmbeddingProvider(upstream.name(), upstream.client(VoyageApi.class), maxConcurrency);
    }
}
