package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFailedException;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every model clients may name, checked at start: each names known providers that serve it, all in one embedding
 * space (the gateway never falls back across spaces). An upstream that does not answer at start never stops the
 * gateway: a model waits until one of its providers answers ({@link #learn}), and a provider not yet described is
 * checked once it answers, and taken out of the model's route, loudly, if it gives another space.
 */
public final class Routes {
    private static final Logger LOG = Logger.getLogger(Routes.class);
    static final String PREFERRED_DEFAULT = "all-minilm-l6-v2";

    /** One model's settings, as configured; {@code prompts} and {@code defaultInputType} override the model's own. */
    public record ModelSettings(List<String> providers, Optional<String> upstreamModel, Optional<String> longInput,
                                ModelHints hints, boolean cached, Optional<BigDecimal> price,
                                Map<String, String> prompts, Optional<String> defaultInputType) {
        public ModelSettings(List<String> providers, Optional<String> upstreamModel, Optional<String> longInput,
                             ModelHints hints) {
            this(providers, upstreamModel, longInput, hints, true, Optional.empty(), Map.of(), Optional.empty());
        }
    }

    private final Map<String, ModelSettings> settings;
    private final Map<String, EmbeddingProvider> providers;
    private final String defaultName;
    private final Map<String, Route> ready = new ConcurrentHashMap<>();
    /** Models no provider has described yet, with why. */
    private final Map<String, String> waiting = new ConcurrentHashMap<>();
    /** Per model, the providers in its route that have not been described yet. */
    private final Map<String, Set<String>> unverified = new ConcurrentHashMap<>();
    private final ReentrantLock learning = new ReentrantLock();

    private Routes(Map<String, ModelSettings> settings, Map<String, EmbeddingProvider> providers, String defaultName) {
        this.settings = settings;
        this.providers = providers;
        this.defaultName = defaultName;
    }

    /**
     * @param providers started provider instances by name
     * @param models    configured models; when empty, each provider's models are offered under their own ids
     * @throws IllegalArgumentException with a message that names what to change
     */
    public static Routes build(Map<String, EmbeddingProvider> providers, Map<String, ModelSettings> models,
                               Optional<String> defaultModel) {
        Map<String, ModelSettings> settings = models.isEmpty() ? everyProvidedModel(providers.values()) : models;
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("no model is offered: configure gateway.models.<name>.providers");
        }
        String defaultName = defaultModel.orElse(settings.containsKey(PREFERRED_DEFAULT)
                ? PREFERRED_DEFAULT : settings.keySet().iterator().next());
        if (!settings.containsKey(defaultName)) {
            throw new IllegalArgumentException("gateway.default-model=" + defaultName + " is not a configured model; models: "
                    + String.join(", ", settings.keySet()));
        }
        Routes routes = new Routes(Map.copyOf(settings), Map.copyOf(providers), defaultName);
        settings.forEach((name, s) -> routes.take(name, ModelDescription.of(name, s, providers)));
        return routes;
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

    private void take(String name, ModelDescription description) {
        description.route().ifPresentOrElse(route -> {
            ready.put(name, route);
            waiting.remove(name);
        }, () -> waiting.put(name, "no provider of model " + name + " has answered yet (" + description.unanswered() + ")"));
        if (description.unanswered().isEmpty()) {
            unverified.remove(name);
        } else {
            unverified.put(name, ConcurrentHashMap.newKeySet());
            unverified.get(name).addAll(description.unanswered().keySet());
            LOG.warnf("model %s: providers %s did not answer %s; they are described when they do", name,
                    description.unanswered().keySet(), description.route().isPresent()
                            ? "(the others serve meanwhile)" : "(the model waits for one of them)");
        }
    }

    /** The route for {@code name}, or the default model's when {@code name} is null; empty while the model waits. */
    public Optional<Route> find(String name) {
        return Optional.ofNullable(ready.get(name == null ? defaultName : name));
    }

    /** Why the model is not served yet, when it is configured but no provider has answered. */
    public Optional<String> waiting(String name) {
        return Optional.ofNullable(waiting.get(name == null ? defaultName : name));
    }

    /** The models served now, in order of name. */
    public Collection<Route> all() {
        return ready.values().stream().sorted(Comparator.comparing(Route::name)).toList();
    }

    public String defaultName() {
        return defaultName;
    }

    /** Whether some model waits or some provider is unverified: {@link #learn} has work. */
    public boolean incomplete() {
        return !waiting.isEmpty() || unverified.values().stream().anyMatch(p -> !p.isEmpty());
    }

    /**
     * Asks the providers that did not answer before, unless another thread is asking now: a waiting model gets its
     * route from the first that answers; an unverified provider of the same space is kept, of another space taken
     * out.
     */
    public void learn() {
        if (!learning.tryLock()) {
            return;
        }
        try {
            waiting.keySet().forEach(name -> {
                try {
                    take(name, ModelDescription.of(name, settings.get(name), providers));
                } catch (IllegalArgumentException conflict) {
                    LOG.errorf("model %s cannot be served: %s", name, conflict.getMessage());
                }
            });
            unverified.forEach((name, names) -> List.copyOf(names).forEach(provider -> verify(name, provider)));
        } finally {
            learning.unlock();
        }
    }

    private void verify(String name, String providerName) {
        Route route = ready.get(name);
        if (route == null) {
            return; // the model waits: it is described whole
        }
        ModelSettings s = settings.get(name);
        Optional<ModelInfo> info;
        try {
            info = ModelDescription.describe(providers.get(providerName), route.upstreamModel(), s.hints(),
                    "gateway.models.\"" + name + "\"");
        } catch (ProviderFailedException | IllegalArgumentException notYet) {
            return;
        }
        unverified.get(name).remove(providerName);
        try {
            ModelDescription.requireSame(name, "(the model's others)", route.info(), providerName,
                    info.orElseThrow(() -> new IllegalArgumentException("provider '" + providerName + "' does not serve it")));
            LOG.infof("model %s: provider %s answered and gives the same vectors: it serves the model", name, providerName);
        } catch (IllegalArgumentException conflict) {
            ready.put(name, route.without(providerName));
            LOG.errorf("model %s: provider %s is taken out of its route: %s", name, providerName, conflict.getMessage());
        }
    }
}
