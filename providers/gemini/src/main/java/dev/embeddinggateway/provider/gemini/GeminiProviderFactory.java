package dev.embeddinggateway.provider.gemini;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.provider.rest.CloudProviderFactory;
import dev.embeddinggateway.provider.rest.RestUpstream;

/** Type {@code gemini}: Google's Gemini API ({@code batchEmbedContents}). */
public final class GeminiProviderFactory extends CloudProviderFactory {

    public GeminiProviderFactory() {
        super("gemini", "Gemini", "https://generativelanguage.googleapis.com/v1beta");
    }

    @Override
    protected EmbeddingProvider create(RestUpstream upstream, int maxConcurrency) {
        // Google takes the key in its own header.
        return new GeminiEmbeddingProvider(upstream.name(), upstream.client(GeminiApi.class, "x-goog-api-key", ""), maxConcurrency);
    }
}
