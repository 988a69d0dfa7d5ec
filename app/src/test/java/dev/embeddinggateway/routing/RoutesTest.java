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

    /** An OpenAI-compatible provider of a model with no dimensions configured: it learns them with a probe. */
    private EmbeddingProvider compatible(String name, FakeOpenAi upstream) {
        return plugins.create(name, "openai", Map.of("base-url", upstream.baseUrl(), "max-retries", "0", "timeout", "2s"));
    }

    private static void failing(FakeOpenAi upstream, int status) {
        upstream.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(FakeOpenAi.EMBEDDINGS)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status)));
    }

    /** Providers called "first" and "second" in front of these upstreams, serving model "nomic" in that order. */
    private Routes nomicRoutes(Map<String, EmbeddingProvider> providers, FakeOpenAi first, FakeOpenAi second) {
        providers.put("first", compatible("first", first));
        providers.put("second", compatible("second", second));
        return Routes.build(providers, nomicServedBy("first", "second"), Optional.empty());
    }

    private static Map<String, Routes.ModelSettings> nomicServedBy(String... providers) {
        return Map.of("nomic", new Routes.ModelSettings(List.of(providers), Optional.of("nomic-embed-text"), Optional.empty(),
                ModelHints.NONE));
    }

    @Test
    void aProviderDownAtStartLeavesTheModelToTheOthersUntilItAnswersTheSame() {
        Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
        try (FakeOpenAi down = new FakeOpenAi(); FakeOpenAi up = new FakeOpenAi()) {
            failing(down, 503);
            Routes routes = nomicRoutes(providers, down, up);
            Route route = routes.find("nomic").orElseThrow();
            assertThat(route.info().dimensions()).isEqualTo(FakeOpenAi.OTHER_MODEL_DIMENSIONS);
            assertThat(route.providers()).extracting(EmbeddingProvider::name).containsExactly("first", "second");
            assertThat(routes.incomplete()).isTrue();

            down.answerEmbeddings();
            routes.learn();
            assertThat(routes.incomplete()).isFalse();
            assertThat(routes.find("nomic").orElseThrow().providers()).extracting(EmbeddingProvider::name)
                    .containsExactly("first", "second");
        } finally {
            providers.values().forEach(EmbeddingProvider::close);
        }
    }

    @Test
    void aProviderThatAnswersLaterWithAnotherSpaceIsTakenOutOfTheRoute() {
        Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
        try (FakeOpenAi other = new FakeOpenAi(); FakeOpenAi up = new FakeOpenAi()) {
            failing(other, 503);
            Routes routes = nomicRoutes(providers, other, up);
            // Back, but with vectors of another size: another model behind the same name.
            other.server().resetAll();
            other.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(FakeOpenAi.EMBEDDINGS)
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"object\":\"list\",\"model\":\"x\","
                            + "\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.6,0.8]}],"
                            + "\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}")));
            routes.learn();
            assertThat(routes.find("nomic").orElseThrow().providers()).extracting(EmbeddingProvider::name)
                    .containsExactly("second");
        } finally {
            providers.values().forEach(EmbeddingProvider::close);
        }
    }

    @Test
    void aModelWhoseProvidersAllAreDownWaitsThenIsServedOnceOneAnswers() {
        Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
        try (FakeOpenAi first = new FakeOpenAi(); FakeOpenAi second = new FakeOpenAi()) {
            failing(first, 502);
            failing(second, 502);
            Routes routes = nomicRoutes(providers, first, second);
            assertThat(routes.find("nomic")).isEmpty();
            assertThat(routes.waiting("nomic")).get().asString().contains("no provider of model nomic has answered");

            second.answerEmbeddings();
            routes.learn();
            assertThat(routes.find("nomic")).get().extracting(r -> r.info().dimensions())
                    .isEqualTo(FakeOpenAi.OTHER_MODEL_DIMENSIONS);
            assertThat(routes.waiting("nomic")).isEmpty();
        } finally {
            providers.values().forEach(EmbeddingProvider::close);
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
