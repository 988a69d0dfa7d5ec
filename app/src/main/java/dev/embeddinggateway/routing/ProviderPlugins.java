package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The provider types on the classpath, found with {@link ServiceLoader}: a new type is a new jar. */
public final class ProviderPlugins {
    /** The gateway's own keys under {@code gateway.providers.<name>.}: never passed to the plugin. */
    private static final Set<String> GATEWAY_KEYS = Set.of("type", "circuit-breaker.failure-threshold",
            "circuit-breaker.open-for", "rate-limit.requests-per-minute", "rate-limit.tokens-per-minute");

    private final Map<String, ProviderFactory> factories = new TreeMap<>();

    public ProviderPlugins() {
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, Thread.currentThread().getContextClassLoader())) {
            factories.putIfAbsent(factory.type(), factory);
        }
    }

    /** Every provider type found, by name. */
    public Map<String, ProviderFactory> factories() {
        return factories;
    }

    /**
     * @param options every key configured under {@code gateway.providers.<name>.}
     * @throws IllegalArgumentException for an unknown type, or an option its plugin does not declare
     */
    public EmbeddingProvider create(String name, String type, Map<String, String> options) {
        ProviderFactory factory = factories.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("gateway.providers." + name + ".type=" + type
                    + " is not a known provider type; known types: " + String.join(", ", factories.keySet()));
        }
        Map<String, String> pluginOptions = new TreeMap<>(options);
        pluginOptions.keySet().removeAll(GATEWAY_KEYS);
        return factory.create(name, pluginOptions);
    }
}
