package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelInfo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A model clients may name and how it is served.
 *
 * @param name          the name clients use
 * @param upstreamModel the name sent to the providers
 * @param info          what the providers declare (all of them share one embedding space)
 * @param providers     in order of preference
 * @param cached        whether its vectors may be cached
 * @param pricePerMillionTokens USD, what its provider tokens cost
 * @param inputTypes    the model's prompts (its own, or configured) and the types its providers map themselves
 */
public record Route(String name, String upstreamModel, ModelInfo info, LongInputPolicy longInput,
                    List<EmbeddingProvider> providers, boolean cached, BigDecimal pricePerMillionTokens,
                    InputTypes inputTypes) {

    public Route {
        providers = List.copyOf(providers);
    }

    /** The same route without one provider (one that turned out to give other vectors). */
    Route without(String provider) {
        return new Route(name, upstreamModel, info, longInput,
                providers.stream().filter(p -> !p.name().equals(provider)).toList(), cached, pricePerMillionTokens, inputTypes);
    }

    /** For the start-up log: what an operator needs to know of this model. */
    public String summary() {
        return name + " (" + info.dimensions() + " dims, max " + info.maxInputTokens() + " tokens, long input "
                + longInput.name().toLowerCase(Locale.ROOT) + ", via "
                + providers.stream().map(EmbeddingProvider::name).collect(Collectors.joining(",")) + ")";
    }
}
