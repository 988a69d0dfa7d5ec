package dev.embeddinggateway.provider.tei;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Type {@code tei}: a Hugging Face text-embeddings-inference server through its native API. Options: {@link RestUpstream#OPTIONS}.
 */
public final class TeiProviderFactory implements ProviderFactory {
    private static final Logger LOG = Logger.getLogger(TeiProviderFactory.class.getName());

    static final ProviderOption<String> PROMPT_NAMES = ProviderOption.text("prompt-names", null,
            "`input_type` to TEI `prompt_name`, as in `query=query,document=passage`: names of prompts in the served "
                    + "model's sentence-transformers config");

    @Override
    public String type() {
        return "tei";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return Stream.concat(RestUpstream.OPTIONS.stream(), Stream.of(PROMPT_NAMES)).toList();
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        RestUpstream upstream = RestUpstream.from(options);
        LOG.info(String.format("provider %s: TEI at %s, timeout %s", name, upstream.baseUrl(), upstream.timeout()));
        Map<String, String> promptNames;
        try {
            promptNames = options.find(PROMPT_NAMES).map(InputTypes::parseMapping).orElse(Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(options.key(PROMPT_NAMES) + ": " + e.getMessage(), e);
        }
        return new TeiEmbeddingProvider(upstream, upstream.client(TeiApi.class), promptNames);
    }
}
