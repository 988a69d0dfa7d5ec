package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.usage.UsageMeters;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** Starts the configured providers, checks the models they serve, and sends each request along its route. */
@Startup
@ApplicationScoped
public class Gateway {
    private static final Logger LOG = Logger.getLogger(Gateway.class);

    /** What runs when no provider is configured: the local models, ready to serve. */
    static final Map<String, ProviderSettings> DEFAULT_PROVIDERS = Map.of(
            "local", new ProviderSettings("onnx", Map.of("model", "all-minilm-l6-v2")),
            "local-zh", new ProviderSettings("onnx", Map.of("model", "bge-small-zh-v1.5-q")));

    /** One provider instance as configured: its plugin type and that plugin's options. */
    record ProviderSettings(String type, Map<String, String> options) {
    }

    private final Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
    private final Routes routes;
    private final UsageMeters meters;

    public Gateway(GatewayConfig config, UsageMeters meters) {
        this.meters = meters;
        Map<String, ProviderSettings> configured = new TreeMap<>();
        config.providers().forEach((name, p) -> configured.put(name, new ProviderSettings(p.type(), p.options())));
        if (configured.isEmpty()) {
            configured.putAll(DEFAULT_PROVIDERS);
        }
        ProviderPlugins plugins = new ProviderPlugins();
        try {
            configured.forEach((name, p) -> providers.put(name, plugins.create(name, p.type(), p.options())));
            Map<String, Routes.ModelSettings> models = new LinkedHashMap<>();
            config.models().forEach((name, m) -> models.put(name,
                    new Routes.ModelSettings(m.providers(), m.upstreamModel(), m.longInput())));
            routes = Routes.build(providers, models, config.defaultModel());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.infof("Embedding Gateway: providers [%s]; models [%s]; default model %s; no API keys: open to every client",
                providers.values().stream().map(EmbeddingProvider::name).collect(Collectors.joining(", ")),
                routes.all().stream().map(Route::summary).collect(Collectors.joining("; ")),
                routes.defaultRoute().name());
    }

    public Routes routes() {
        return routes;
    }

    public Map<String, EmbeddingProvider> providers() {
        return providers;
    }

    /** Embeds along the route's providers in order, moving on only when a provider fails (never on bad input). */
    public CompletionStage<Served> embed(Route route, EmbeddingRequest request) {
        return attempt(route, request, 0);
    }

    private CompletionStage<Served> attempt(Route route, EmbeddingRequest request, int index) {
        EmbeddingProvider provider = route.providers().get(index);
        long start = System.nanoTime();
        return provider.embed(request)
                .thenApply(result -> {
                    meters.served(provider.name(), route.name(), result.promptTokens(), System.nanoTime() - start);
                    return new Served(provider.name(), result);
                })
                .exceptionallyCompose(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof ProviderFailedException && index + 1 < route.providers().size()) {
                        LOG.warnf("provider %s failed for model %s, trying %s: %s", provider.name(), route.name(),
                                route.providers().get(index + 1).name(), cause.getMessage());
                        return attempt(route, request, index + 1);
                    }
                    return CompletableFuture.failedStage(cause);
                });
    }

    /** A result and the provider instance that gave it. */
    public record Served(String provider, EmbeddingResult result) {
    }

    void close(@Observes ShutdownEvent event) {
        close();
    }

    private void close() {
        providers.values().forEach(EmbeddingProvider::close);
    }
}
