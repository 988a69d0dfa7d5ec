package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.LongInputPolicy;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up checks: what an operator sees when the configuration cannot work. */
class RoutesTest {
    private final ProviderPlugins plugins = new ProviderPlugins();

    private EmbeddingProvider histogram(String name, String model, int dims) {
        return plugins.create(name, "char-histogram", Map.of("model", model, "dims", Integer.toString(dims)));
    }

    private static Routes.ModelSettings servedBy(String... providers) {
        return new Routes.ModelSettings(List.of(providers), Optional.of("h"), Optional.empty());
    }

    @Test
    void unknownProviderTypeListsTheKnownTypes() {
        assertThatThrownBy(() -> plugins.create("p", "nosuch", Map.of()))
                .hasMessageContaining("gateway.providers.p.type=nosuch")
                .hasMessageContaining("onnx").hasMessageContaining("char-histogram");
    }

    @Test
    void modelNamingAnUnknownProviderIsRefused() {
        Map<String, EmbeddingProvider> providers = Map.of("a", histogram("a", "h", 8));
        assertThatThrownBy(() -> Routes.build(providers, Map.of("m", servedBy("a", "ghost")), Optional.empty()))
                .hasMessageContaining("'ghost'").hasMessageContaining("gateway.models.\"m\".providers");
    }

    @Test
    void providersOfDifferentEmbeddingSpacesAreRefusedNamingBoth() {
        Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
        providers.put("small", histogram("small", "h", 8));
        providers.put("large", histogram("large", "h", 16));
        assertThatThrownBy(() -> Routes.build(providers, Map.of("m", servedBy("small", "large")), Optional.empty()))
                .hasMessageContaining("'small'").hasMessageContaining("'large'")
                .hasMessageContaining("8 dims").hasMessageContaining("16 dims");
    }

    @Test
    void providerThatDoesNotServeTheModelSaysWhatItServes() {
        Map<String, EmbeddingProvider> providers = Map.of("a", histogram("a", "other", 8));
        assertThatThrownBy(() -> Routes.build(providers, Map.of("m", servedBy("a")), Optional.empty()))
                .hasMessageContaining("[other]").hasMessageContaining("upstream-model");
    }

    @Test
    void withoutModelsEveryProvidedModelIsOfferedAndTheDefaultMustExist() {
        Map<String, EmbeddingProvider> providers = Map.of("a", histogram("a", "h", 8));
        Routes routes = Routes.build(providers, Map.of(), Optional.empty());
        assertThat(routes.find(null)).get().extracting(Route::name).isEqualTo("h");
        assertThat(routes.find("h")).get().extracting(Route::longInput).isEqualTo(LongInputPolicy.TRUNCATE);
        assertThatThrownBy(() -> Routes.build(providers, Map.of(), Optional.of("missing")))
                .hasMessageContaining("gateway.default-model=missing");
    }

    @Test
    void unknownLongInputPolicyIsRefused() {
        Map<String, EmbeddingProvider> providers = Map.of("a", histogram("a", "h", 8));
        var settings = new Routes.ModelSettings(List.of("a"), Optional.of("h"), Optional.of("shorten"));
        assertThatThrownBy(() -> Routes.build(providers, Map.of("m", settings), Optional.empty()))
                .hasMessageContaining("truncate, error or chunk");
    }
}
