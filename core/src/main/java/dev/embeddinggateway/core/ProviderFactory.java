package dev.embeddinggateway.core;

import java.util.List;
import java.util.Map;

/**
 * Creates provider instances of one type. Implementations are found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.embeddinggateway.core.ProviderFactory} file in the provider's jar),
 * so adding a provider type means adding a jar.
 */
public interface ProviderFactory {

    /** The type name that selects this factory: {@code gateway.providers.<name>.type=<type>}. */
    String type();

    /** Every option an instance takes; anything else configured for one is refused at start. */
    List<ProviderOption<?>> options();

    /**
     * Creates and starts the instance called {@code name}; the model is loaded (or the upstream reached)
     * before this returns, so that a broken configuration fails at start.
     *
     * @throws IllegalArgumentException with a message a person can act on, for bad options
     */
    EmbeddingProvider create(String name, ProviderOptions options);

    /** Checks {@code configured} against {@link #options()}, then creates the instance. */
    default EmbeddingProvider create(String name, Map<String, String> configured) {
        return create(name, ProviderOptions.of(name, this, configured));
    }
}
