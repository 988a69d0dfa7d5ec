package dev.embeddinggateway.provider.tei;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.util.logging.Logger;

/**
 * Type {@code tei}: a Hugging Face text-embeddings-inference server through its native API. Options:
 * {@code base-url} (required), {@code api-key} (when the server was started with one), {@code timeout}.
 */
public final class TeiProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(TeiProviderFactory.class.getName());

    @Override
    public String type() {
        return "tei";
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        RestUpstream upstream = RestUpstream.from(name, options);
        TeiApi api = upstream.client(TeiApi.class);
        TeiApi.Info info = upstream.await(api.info(), TeiEmbeddingProvider.STATUSES);
        LOG.info(String.format("provider %s: TEI at %s serves %s, max %d tokens, %d inputs a call, timeout %s",
                name, upstream.baseUrl(), info.modelId(), info.maxInputLength(), info.maxClientBatchSize(), upstream.timeout()));
        return new TeiEmbeddingProvider(upstream, api, info);
    }
}
