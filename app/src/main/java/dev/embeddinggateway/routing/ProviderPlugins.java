package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOptions;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The provider types on the classpath, found with {@link ServiceLoader}: a new type is a new jar. */
public final class ProviderPlugins {
    /** The gateway's own keys under {@code gateway.providers.<name>.}, in any spelling: never passed to the plugin. */
    private static final Set<String> GATEWAY_KEYS = Stream.of("type", "circuit-breaker.failure-threshold",
            "circuit-breaker.open-for", "rate-limit.requests-per-minute", "rate-limit.tokens-per-minute")
            .map(ProviderOptions::canonical).collect(Collectors.toSet());

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
        pluginOptions.keySet().removeIf(key -> GATEWAY_KEYS.contains(ProviderOptions.canonical(key)));
        return factory.create(name, pluginOptions);
    }
}
