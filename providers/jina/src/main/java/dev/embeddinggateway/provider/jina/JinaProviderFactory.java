package dev.embeddinggateway.provider.jina;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.provider.rest.CloudProviderFactory;
import dev.embeddinggateway.provider.rest.RestUpstream;

/** Type {@code jina}: Jina's embeddings API. */
public final class JinaProviderFactory extends CloudProviderFactory {

    public JinaProviderFactory() {
        super("jina", "Jina", "https://api.jina.ai/v1");
    }

    @Override
    protected EmbeddingProvider create(RestUpstream upstream, int maxConcurrency) {
        return new JinaEmbeddingProvider(upstream.name(), upstream.client(JinaApi.class), maxConcurrency);
    }
}
