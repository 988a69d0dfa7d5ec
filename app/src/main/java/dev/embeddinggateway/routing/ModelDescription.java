package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFailedException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One model as its providers describe it. Each must serve it, in one embedding space and with one tokenizer
 * (else start is refused: a configuration error). A provider whose upstream does not answer yet stays in the route,
 * unverified, to be described when it does; with no provider answering, the model waits.
 *
 * @param route      the model's route, when at least one provider described it
 * @param unanswered the providers that could not be asked, with why
 */
record ModelDescription(Optional<Route> route, Map<String, String> unanswered) {

    /** @throws IllegalArgumentException with a message that names what to change */
    static ModelDescription of(String name, Routes.ModelSettings settings, Map<String, EmbeddingProvider> providers) {
        String prefix = "gateway.models.\"" + name + "\"";
        if (settings.providers().isEmpty()) {
            throw new IllegalArgumentException(prefix + ".providers is empty: name at least one provider instance");
        }
        String upstream = settings.upstreamModel().orElse(name);
        List<EmbeddingProvider> serving = new ArrayList<>();
        Map<String, String> unanswered = new LinkedHashMap<>();
        ModelInfo first = null;
        String firstProvider = null;
        for (String providerName : settings.providers()) {
            EmbeddingProvider provider = providers.get(providerName);
            if (provider == null) {
                throw new IllegalArgumentException(prefix + ".providers names '" + providerName
                        + "', which is not a configured provider; providers: " + String.join(", ", providers.keySet()));
            }
            serving.add(provider);
            Optional<ModelInfo> described;
            try {
                described = describe(provider, upstream, settings.hints(), prefix);
            } catch (ProviderFailedException notNow) {
                unanswered.put(providerName, notNow.getMessage());
                continue;
            }
            ModelInfo info = described.orElseThrow(() -> new IllegalArgumentException("provider '" + providerName
                    + "' does not serve model '" + upstream + "' (it serves " + provider.models().stream().map(ModelInfo::id)
                    .toList() + "); set " + prefix + ".upstream-model to one of those"));
            if (first != null) {
                requireSame(name, firstProvider, first, providerName, info);
            } else {
                first = info;
                firstProvider = providerName;
            }
        }
        if (first == null) {
            return new ModelDescription(Optional.empty(), unanswered);
        }
        LongInputPolicy longInput = settings.longInput().map(LongInputPolicy::parse).orElse(first.longInput());
        InputTypes inputTypes;
        try {
            inputTypes = first.inputTypes().overriddenBy(settings.prompts(), settings.defaultInputType());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".prompts / .default-input-type: " + e.getMessage(), e);
        }
        return new ModelDescription(Optional.of(new Route(name, upstream, first, longInput, serving, settings.cached(),
                settings.price().orElse(first.pricePerMillionTokens()), inputTypes)), unanswered);
    }

    /** @throws IllegalArgumentException naming both providers when they would give different vectors or tokens */
    static void requireSame(String model, String provider, ModelInfo info, String otherProvider, ModelInfo other) {
        if (!info.space().equals(other.space())) {
            throw new IllegalArgumentException("model '" + model + "' mixes embedding spaces: provider '" + provider
                    + "' gives " + info.space() + " but provider '" + otherProvider + "' gives " + other.space()
                    + "; a model's providers must all give the same vectors");
        }
        if (!info.inputTypes().equals(other.inputTypes())) {
            throw new IllegalArgumentException("model '" + model + "' mixes input types: provider '" + provider
                    + "' has " + info.inputTypes() + " but provider '" + otherProvider + "' " + other.inputTypes()
                    + "; a model's providers must embed a query the same way");
        }
        if (!info.tokenizer().equals(other.tokenizer())) {
            throw new IllegalArgumentException("model '" + model + "' mixes tokenizers: provider '" + provider
                    + "' tokenizes with " + info.tokenizer() + " but provider '" + otherProvider + "' with "
                    + other.tokenizer() + "; a model's providers must see the same tokens");
        }
    }

    /** @throws ProviderFailedException when the provider's upstream cannot be asked now */
    static Optional<ModelInfo> describe(EmbeddingProvider provider, String upstream, ModelHints hints, String prefix) {
        try {
            return provider.model(upstream, hints);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage() + " (" + prefix + ".dimensions)", e);
        }
    }
}
