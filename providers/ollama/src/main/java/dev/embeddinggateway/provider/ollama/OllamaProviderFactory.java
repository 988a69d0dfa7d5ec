package dev.embeddinggateway.provider.ollama;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.util.List;
import java.util.logging.Logger;

/**
 * Type {@code ollama}: an Ollama server's own API, for any embedding model it has pulled. Options: {@link RestUpstream#OPTIONS}.
 */
public final class OllamaProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(OllamaProviderFactory.class.getName());

    @Override
    public String type() {
        return "ollama";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return RestUpstream.OPTIONS;
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        RestUpstream upstream = RestUpstream.from(options);
        LOG.info(String.format("provider %s: Ollama at %s, timeout %s", name, upstream.baseUrl(), upstream.timeout()));
        return new OllamaEmbeddingProvider(upstream, upstream.client(OllamaApi.class));
    }
}
