package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every model clients may name, checked at start: each names known providers that serve it, and all the
 * providers of one model produce the same embedding space (the gateway never falls back across spaces).
 */
public final class Routes {
    static final String PREFERRED_DEFAULT = "all-minilm-l6-v2";

    /** One model's settings, as configured. */
    public record ModelSettings(List<String> providers, Optional<String> upstreamModel, Optional<String> longInput,
                                ModelHints hints, boolean cached, Optional<BigDecimal> price) {
        public ModelSettings(List<String> providers, Optional<String> upstreamModel, Optional<String> longInput,
                             ModelHints hints) {
            this(providers, upstreamModel, longInput, hints, true, Optional.empty());
        }
    }

    private final Map<String, Route> byName;
    private final Route defaultRoute;

    private Routes(Map<String, Route> byName, Route defaultRoute) {
        this.byName = byName;
        this.defaultRoute = defaultRoute;
    }

    /**
     * @param providers started provider instances by name
     * @param models    configured models; when empty, each provider's models are offered under their own ids
     * @throws IllegalArgumentException with a message that names what to change
     */
    public static Routes build(Map<String, EmbeddingProvider> providers, Map<String, ModelSettings> models,
                               Optional<String> defaultModel) {
        Map<String, ModelSettings> settings = models.isEmpty() ? everyProvidedModel(providers.values()) : models;
        Map<String, Route> routes = new LinkedHashMap<>();
        settings.forEach((name, s) -> routes.put(name, route(name, s, providers)));
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no model is offered: configure gateway.models.<name>.providers");
        }
        String defaultName = defaultModel.orElse(routes.containsKey(PREFERRED_DEFAULT)
                ? PREFERRED_DEFAULT : routes.keySet().iterator().next());
        Route defaultRoute = routes.get(defaultName);
        if (defaultRoute == null) {
            throw new IllegalArgumentException("gateway.default-model=" + defaultName + " is not a configured model; models: "
                    + String.join(", ", routes.keySet()));
        }
        return new Routes(Collections.unmodifiableMap(routes), defaultRoute);
    }

    private static Map<String, ModelSettings> everyProvidedModel(Collection<EmbeddingProvider> providers) {
        Map<String, List<String>> servedBy = new LinkedHashMap<>();
        for (EmbeddingProvider p : providers) {
            for (ModelInfo m : p.models()) {
                servedBy.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(p.name());
            }
        }
        Map<String, ModelSettings> settings = new LinkedHashMap<>();
        servedBy.forEach((id, names) -> settings.put(id, new ModelSettings(names, Optional.empty(), Optional.empty(),
                ModelHints.NONE)));
        return settings;
    }

    private static Route route(String name, ModelSettings settings, Map<String, EmbeddingProvider> providers) {
        String prefix = "gateway.models.\"" + name + "\"";
        if (settings.providers().isEmpty()) {
            throw new IllegalArgumentException(prefix + ".providers is empty: name at least one provider instance");
        }
        String upstream = settings.upstreamModel().orElse(name);
        List<EmbeddingProvider> serving = new ArrayList<>();
        ModelInfo first = null;
        for (String providerName : settings.providers()) {
            EmbeddingProvider provider = providers.get(providerName);
            if (provider == null) {
                throw new IllegalArgumentException(prefix + ".providers names '" + providerName
                        + "', which is not a configured provider; providers: " + String.join(", ", providers.keySet()));
            }
            ModelInfo info = describe(provider, upstream, settings.hints(), prefix).orElseThrow(() -> new IllegalArgumentException(
                    "provider '" + providerName + "' does not serve model '" + upstream + "' (it serves "
                            + provider.models().stream().map(ModelInfo::id).toList() + "); set " + prefix
                            + ".upstream-model to one of those"));
            if (first != null && !first.space().equals(info.space())) {
                throw new IllegalArgumentException("model '" + name + "' mixes embedding spaces: provider '"
                        + serving.get(0).name() + "' gives " + first.space() + " but provider '" + providerName
                        + "' gives " + info.space() + "; a model's providers must all give the same vectors");
            }
            if (first != null && !first.tokenizer().equals(info.tokenizer())) {
                throw new IllegalArgumentException("model '" + name + "' mixes tokenizers: provider '"
                        + serving.get(0).name() + "' tokenizes with " + first.tokenizer() + " but provider '" + providerName
                        + "' with " + info.tokenizer() + "; a model's providers must see the same tokens");
            }
            first = first == null ? info : first;
            serving.add(provider);
        }
        LongInputPolicy longInput = settings.longInput().map(LongInputPolicy::parse).orElse(first.longInput());
        return new Route(name, upstream, first, longInput, serving, settings.cached(),
                settings.price().orElse(first.pricePerMillionTokens()));
    }

    private static Optional<ModelInfo> describe(EmbeddingProvider provider, String upstream, ModelHints hints, String prefix) {
        try {
            return provider.model(upstream, hints);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage() + " (" + prefix + ".dimensions)", e);
        }
    }

    /** The route for {@code name}, or the default model's when {@code name} is null. */
    public Optional<Route> find(String name) {
        return name == null ? Optional.of(defaultRoute) : Optional.ofNullable(byName.get(name));
    }

    public Route defaultRoute() {
        return defaultRoute;
    }

    public Collection<Route> all() {
        return byName.values();
    }
}
