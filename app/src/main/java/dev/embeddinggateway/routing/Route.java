package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelInfo;

import java.util.List;

/**
 * A model clients may name and how it is served.
 *
 * @param name          the name clients use
 * @param upstreamModel the name sent to the providers
 * @param info          what the providers declare (all of them share one embedding space)
 * @param providers     in order of preference
 */
public record Route(String name, String upstreamModel, ModelInfo info, LongInputPolicy longInput,
                    List<EmbeddingProvider> providers) {

    public Route {
        providers = List.copyOf(providers);
    }
}
