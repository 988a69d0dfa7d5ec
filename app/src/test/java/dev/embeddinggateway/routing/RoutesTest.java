package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
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
        return new Routes.ModelSettings(List.of(providers), Optional.of("h"), Optional.empty(), ModelHints.NONE);
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
    void localModelAndARemoteOneOfTheSameNameAreDifferentSpaces() {
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
            // A local stand-in (the onnx provider's native tokenizer is already loaded by the Quarkus tests' JVM).
            providers.put("local", histogram("local", "all-minilm-l6-v2", 384));
            providers.put("remote", plugins.create("remote", "openai", Map.of("base-url", upstream.baseUrl())));
            var settings = new Routes.ModelSettings(List.of("local", "remote"), Optional.empty(), Optional.empty(),
                    new ModelHints(Optional.of(384), Optional.empty()));
            assertThatThrownBy(() -> Routes.build(providers, Map.of("all-minilm-l6-v2", settings), Optional.empty()))
                    .hasMessageContaining("mixes embedding spaces").hasMessageContaining("'local'")
                    .hasMessageContaining("'remote'");
            providers.values().forEach(EmbeddingProvider::close);
        }
    }

    @Test
    void remoteModelWhoseDimensionsCannotBeLearnedSaysWhatToSet() {
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            upstream.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(FakeOpenAi.EMBEDDINGS)
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(404)));
            EmbeddingProvider remote = plugins.create("remote", "openai", Map.of("base-url", upstream.baseUrl(), "max-retries", "0"));
            var settings = new Routes.ModelSettings(List.of("remote"), Optional.of("nomic-embed-text"), Optional.empty(),
                    ModelHints.NONE);
            assertThatThrownBy(() -> Routes.build(Map.of("remote", remote), Map.of("nomic", settings), Optional.empty()))
                    .hasMessageContaining("gateway.models.\"nomic\".dimensions")
                    .hasMessageContaining("does not serve model 'nomic-embed-text'");
            remote.close();
        }
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
        var settings = new Routes.ModelSettings(List.of("a"), Optional.of("h"), Optional.of("shorten"), ModelHints.NONE);
        assertThatThrownBy(() -> Routes.build(providers, Map.of("m", settings), Optional.empty()))
                .hasMessageContaining("truncate, error or chunk");
    }
}
