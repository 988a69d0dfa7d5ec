package dev.embeddinggateway.provider.rest;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;

import java.util.List;

/** A provider type over a cloud vendor's API: the same options for each, the vendor's URL as default. */
public abstract class CloudProviderFactory implements ProviderFactory {
    public static final ProviderOption<String> API_KEY = ProviderOption.text("api-key", null,
            "the account's API key; never logged").required();
    public static final ProviderOption<Integer> MAX_CONCURRENCY = ProviderOption.integer("max-concurrency", "16",
            "calls in flight at once, the pieces of a large request included");

    private final String type;
    private final ProviderOption<String> baseUrl;

    /** @param vendor for the option's description ("Cohere's API, or a proxy in front of it") */
    protected CloudProviderFactory(String type, String vendor, String defaultBaseUrl) {
        this.type = type;
        this.baseUrl = ProviderOption.text("base-url", defaultBaseUrl, vendor + "'s API, or a proxy in front of it");
    }

    /** The provider over this upstream, at most {@code maxConcurrency} calls in flight. */
    protected abstract EmbeddingProvider create(RestUpstream upstream, int maxConcurrency);

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final List<ProviderOption<?>> options() {
        return List.of(baseUrl, API_KEY, RestUpstream.TIMEOUT, MAX_CONCURRENCY);
    }

    @Override
    public final EmbeddingProvider create(String name, ProviderOptions options) {
        return create(RestUpstream.from(options, baseUrl, API_KEY), options.get(MAX_CONCURRENCY));
    }
}
