package dev.embeddinggateway.provider.ollama;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.util.logging.Logger;

/**
 * Type {@code ollama}: an Ollama server's own API, for any embedding model it has pulled. Options:
 * {@code base-url} (required, {@code http://ollama:11434}), {@code api-key} (behind a proxy that wants
 * one), {@code timeout}.
 */
public final class OllamaProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(OllamaProviderFactory.class.getName());

    @Override
    public String type() {
        return "ollama";
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        RestUpstream upstream = RestUpstream.from(name, options);
        LOG.info(String.format("provider %s: Ollama at %s, timeout %s", name, upstream.baseUrl(), upstream.timeout()));
        return new OllamaEmbeddingProvider(upstream, upstream.client(OllamaApi.class));
    }
}
