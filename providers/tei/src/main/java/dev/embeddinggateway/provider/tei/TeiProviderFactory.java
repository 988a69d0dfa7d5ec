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
        LOG.info(String.format("provider %s: TEI at %s, timeout %s", name, upstream.baseUrl(), upstream.timeout()));
        return new TeiEmbeddingProvider(upstream, upstream.client(TeiApi.class));
    }
}
