package dev.embeddinggateway.routing;

import dev.embeddinggateway.config.CircuitBreakerOverrideConfig;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.config.ModelConfig;
import dev.embeddinggateway.config.Routing;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.support.DaemonThreads;
import dev.embeddinggateway.limits.PerMinute;
import dev.embeddinggateway.limits.RateLimits;
import dev.embeddinggateway.store.CircuitBreaker;
import dev.embeddinggateway.tracing.Tracing;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Starts the configured providers, checks the models they serve, and sends inputs along their route. */
@Startup
@ApplicationScoped
public class ProviderRouter {
    private static final Logger LOG = Logger.getLogger(ProviderRouter.class);

    /** What runs when no provider is configured: the local models, ready to serve. */
    static final Map<String, ProviderSettings> DEFAULT_PROVIDERS = Map.of(
            "local", new ProviderSettings("onnx", Map.of("model", "all-minilm-l6-v2")),
            "local-zh", new ProviderSettings("onnx", Map.of("model", "bge-small-zh-v1.5-q")));

    /** One provider instance as configured: its plugin type and that plugin's options. */
    record ProviderSettings(String type, Map<String, String> options, Optional<CircuitBreakerOverrideConfig> breaker) {
        ProviderSettings(String type, Map<String, String> options) {
            this(type, options, Optional.empty());
        }
    }

    private static final long LEARN_INTERVAL_SECONDS = 10;
    private final Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
    private final ScheduledExecutorService learner =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("route-learning"));
    private final Routes routes;
    private final ProviderFailover failover;

    public ProviderRouter(GatewayConfig config, ProviderMeters meters, RateLimits rateLimits, Tracing tracing) {
        Map<String, ProviderSettings> configured = new TreeMap<>();
        config.providers().forEach((name, p) -> configured.put(name,
                new ProviderSettings(p.type(), p.options(), Optional.of(p.circuitBreaker()))));
        if (configured.isEmpty()) {
            configured.putAll(DEFAULT_PROVIDERS);
        }
        ProviderPlugins plugins = new ProviderPlugins();
        ProviderLoad load = new ProviderLoad();
        Map<String, Balancer> balancers = new LinkedHashMap<>();
        try {
            config.models().forEach((name, m) -> balancers.put(name, balancer(name, m, load)));
            configured.forEach((name, p) -> providers.put(name, plugins.create(name, p.type(), p.options())));
            Map<String, Routes.ModelSettings> models = new LinkedHashMap<>();
            config.models().forEach((name, m) -> models.put(name,
                    new Routes.ModelSettings(m.providers(), m.upstreamModel(), m.longInput(),
                            new ModelHints(m.dimensions(), m.maxInputTokens()), m.cache(), m.pricePerMillionTokens(),
                            m.prompts(), m.defaultInputType())));
            routes = Routes.build(providers, models, config.defaultModel());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
        configured.forEach((name, p) -> breakers.put(name, new CircuitBreaker(
                p.breaker().flatMap(CircuitBreakerOverrideConfig::failureThreshold)
                        .orElse(config.circuitBreaker().failureThreshold()),
                p.breaker().flatMap(CircuitBreakerOverrideConfig::openFor).orElse(config.circuitBreaker().openFor()),
                Clock.systemUTC())));
        Map<String, PerMinute> limits = new LinkedHashMap<>();
        config.providers().forEach((name, p) -> limits.put(name, PerMinute.of(p.rateLimit(), "gateway.providers." + name + ".rate-limit")));
        failover = new ProviderFailover(breakers, limits, meters, rateLimits, balancers, load, tracing);
        LOG.infof("Embedding Gateway: providers [%s]; models [%s]; default model %s",
                providers.values().stream().map(EmbeddingProvider::name).collect(Collectors.joining(", ")),
                routes.all().stream().map(Route::summary).collect(Collectors.joining("; ")),
                routes.defaultName());
        // Upstreams that did not answer at start are asked again until they do.
        learner.scheduleWithFixedDelay(() -> {
            if (routes.incomplete()) {
                routes.learn();
            }
        }, LEARN_INTERVAL_SECONDS, LEARN_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** @throws IllegalArgumentException naming the key when weights are set for another strategy or other providers */
    private static Balancer balancer(String name, ModelConfig model, ProviderLoad load) {
        String prefix = "gateway.models.\"" + name + "\".weights";
        if (!model.weights().isEmpty() && model.routing() != Routing.WEIGHTED) {
            throw new IllegalArgumentException(prefix + " is set, but routing is " + model.routing().name()
                    .toLowerCase(Locale.ROOT).replace('_', '-') + "; set gateway.models.\"" + name + "\".routing=weighted");
        }
        model.weights().forEach((provider, weight) -> {
            if (!model.providers().contains(provider)) {
                throw new IllegalArgumentException(prefix + "." + provider + " names no provider of the model; its providers: "
                        + String.join(", ", model.providers()));
            }
            if (weight < 1) {
                throw new IllegalArgumentException(prefix + "." + provider + " must be at least 1, not " + weight);
            }
        });
        return new Balancer(model.routing(), model.weights(), load);
    }

    public Routes routes() {
        return routes;
    }

    public Map<String, EmbeddingProvider> providers() {
        return providers;
    }

    /** Embeds along the inputs' route (see {@link ProviderFailover}). */
    public CompletionStage<ProviderResult> embed(RoutedInputs inputs) {
        return failover.embed(inputs);
    }

    ProviderFailover failover() {
        return failover;
    }

    void close(@Observes ShutdownEvent event) {
        close();
    }

    private void close() {
        learner.shutdownNow();
        providers.values().forEach(EmbeddingProvider::close);
    }
}
