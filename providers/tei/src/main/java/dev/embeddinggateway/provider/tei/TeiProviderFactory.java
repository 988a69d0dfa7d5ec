package dev.embeddinggateway.provider.tei;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.util.List;
import java.util.logging.Logger;

/**
 * Type {@code tei}: a Hugging Face text-embeddings-inference server through its native API. Options: {@link RestUpstream#OPTIONS}.
 */
public final class TeiProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(TeiProviderFactory.class.getName());

    @Override
    public String type() {
        return "tei";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return RestUpstream.OPTIONS;
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        RestUpstream upstream = RestUpstream.from(options);
        TeiApi api = upstream.client(TeiApi.class);
        TeiApi.Info info = upstream.await(api.info(), TeiEmbeddingProvider.STATUSES);
        LOG.info(String.format("provider %s: TEI at %s serves %s, max %d tokens, %d inputs a call, timeout %s",
                name, upstream.baseUrl(), info.modelId(), info.maxInputLength(), info.maxClientBatchSize(), upstream.timeout()));
        return new TeiEmbeddingProvider(upstream, api, info);
    }
}
