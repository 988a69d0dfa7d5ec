package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderOptions;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The provider types on the classpath, found with {@link ServiceLoader}: a new type is a new jar. */
public final class ProviderPlugins {
    private final Map<String, ProviderFactory> factories = new TreeMap<>();

    public ProviderPlugins() {
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, Thread.currentThread().getContextClassLoader())) {
            factories.putIfAbsent(factory.type(), factory);
        }
    }

    public EmbeddingProvider create(String name, String type, Map<String, String> options) {
        ProviderFactory factory = factories.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("gateway.providers." + name + ".type=" + type
                    + " is not a known provider type; known types: " + String.join(", ", factories.keySet()));
        }
        Map<String, String> pluginOptions = new TreeMap<>(options);
        pluginOptions.remove("type"); // the app's key, not the plugin's
        return factory.create(name, new ProviderOptions(pluginOptions));
    }
}
