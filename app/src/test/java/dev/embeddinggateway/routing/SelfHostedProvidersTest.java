package dev.embeddinggateway.routing;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Hugging Face TEI and Ollama as providers (types tei and ollama), through POST /v1/embeddings. */
@QuarkusTest
@QuarkusTestResource(FakeSelfHostedServers.class)
class SelfHostedProvidersTest {

    @AfterEach
    void serversRecover() {
        FakeSelfHostedServers.answerNormally();
    }

    private static void assertVector(Response response, int index, String embeddedText) {
        List<Float> vector = response.jsonPath().getList("data[" + index + "].embedding", Float.class);
        float[] expected = FakeOpenAi.vectorOf(embeddedText, FakeSelfHostedServers.DIMENSIONS);
        assertThat(vector).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(vector.get(i)).isEqualTo(expected[i]);
        }
    }

    @Test
    void teiServesInOrderSplitAtItsBatchSizeCountedByItsTokenizer() {
        List<String> texts = List.of("one", "two words", "three little words", "four", "five five", "six");
        Response response = Embeddings.postUncached(body("tei-only", texts));
        response.then().statusCode(200).header("x-gateway-provider", "tei");
        for (int i = 0; i < texts.size(); i++) {
            assertVector(response, i, texts.get(i));
        }
        int tokens = texts.stream().mapToInt(FakeSelfHostedServers::teiTokens).sum();
        response.then().body("usage.prompt_tokens", equalTo(tokens));
        // max_client_batch_size 4: six inputs are two calls.
        FakeSelfHostedServers.TEI.verify(2, postRequestedFor(urlEqualTo("/embed")));
    }

    @Test
    void teiTruncatesLongInputOrRefusesItAsTheModelSays() {
        String longText = "word ".repeat(40).trim();
        Response truncated = Embeddings.postUncached(body("tei-only", List.of(longText)));
        truncated.then().statusCode(200).body("usage.prompt_tokens", equalTo(FakeSelfHostedServers.TEI_MAX_INPUT))
                .header("x-gateway-truncated-inputs", "1");
        assertVector(truncated, 0, FakeSelfHostedServers.teiTruncated(longText));
        Embeddings.postUncached(body("tei-strict", List.of(longText))).then().statusCode(400)
                .body("error.message", containsString("must have less than 16 tokens"));
    }

    @Test
    void teiErrorsAreTheClientsOrTheProvidersAsTheStatusSays() {
        FakeSelfHostedServers.TEI.stubFor(post("/embed").willReturn(aResponse().withStatus(422)
                .withBody("{\"error\":\"Tokenizer error: invalid input\",\"error_type\":\"Tokenizer\"}")));
        Embeddings.postUncached(body("tei-only", List.of("x"))).then().statusCode(400)
                .body("error.message", containsString("Tokenizer error"));
        FakeSelfHostedServers.TEI.stubFor(post("/embed").willReturn(aResponse().withStatus(424)
                .withBody("{\"error\":\"backend failed\",\"error_type\":\"Backend\"}")));
        Embeddings.postUncached(body("tei-only", List.of("x"))).then().statusCode(502)
                .body("error.message", containsString("provider tei"));
        FakeSelfHostedServers.TEI.stubFor(post("/embed").willReturn(aResponse().withStatus(429)
                .withBody("{\"error\":\"Model is overloaded\",\"error_type\":\"Overloaded\"}")));
        Embeddings.postUncached(body("tei-only", List.of("x"))).then().statusCode(429);
        FakeSelfHostedServers.TEI.stubFor(post("/embed").willReturn(aResponse().withFixedDelay(3000).withBody("[]")));
        Embeddings.postUncached(body("tei-only", List.of("x"))).then().statusCode(504).body("error.code", equalTo("timeout"));
    }

    @Test
    void aFailingTeiFallsBackToAnOpenAiCompatibleServerOfTheSameModel() {
        FakeSelfHostedServers.TEI.stubFor(post("/embed").willReturn(aResponse().withStatus(424)
                .withBody("{\"error\":\"backend failed\",\"error_type\":\"Backend\"}")));
        Response response = Embeddings.postUncached(body("fake-model", List.of("the same vector from either")));
        response.then().statusCode(200).header("x-gateway-provider", "compat");
        assertVector(response, 0, "the same vector from either");
    }

    @Test
    void ollamaServesWithItsOwnTokenCount() {
        List<String> texts = List.of("a short text", "and another one here");
        Response response = Embeddings.postUncached(body("nomic-embed-text", texts));
        response.then().statusCode(200).header("x-gateway-provider", "ollama").body("usage.prompt_tokens", equalTo(7));
        assertVector(response, 0, texts.get(0));
        assertVector(response, 1, texts.get(1));
        given().get("/v1/models/nomic-embed-text").then().statusCode(200)
                .body("dimensions", equalTo(FakeSelfHostedServers.DIMENSIONS)).body("max_input_tokens", equalTo(2048));
    }

    @Test
    void ollamaErrorsAreTheClientsOrTheProvidersAsTheStatusSays() {
        FakeSelfHostedServers.OLLAMA.stubFor(post("/api/embed").willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"the input length exceeds the context length\"}")));
        Embeddings.postUncached(body("nomic-embed-text", List.of("x"))).then().statusCode(400)
                .body("error.message", containsString("context length"));
        FakeSelfHostedServers.OLLAMA.stubFor(post("/api/embed").willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":\"model \\\"nomic-embed-text\\\" not found, try pulling it first\"}")));
        Embeddings.postUncached(body("nomic-embed-text", List.of("x"))).then().statusCode(502);
        FakeSelfHostedServers.OLLAMA.stubFor(post("/api/embed").willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":\"llama runner process has terminated\"}")));
        Embeddings.postUncached(body("nomic-embed-text", List.of("x"))).then().statusCode(502)
                .body("error.message", containsString("provider ollama"));
    }

    @Test
    void anotherModelIsRefusedAtStartTheSameModelIsAccepted() {
        ProviderPlugins plugins = new ProviderPlugins();
        Map<String, EmbeddingProvider> providers = new LinkedHashMap<>();
        providers.put("tei2", plugins.create("tei2", "tei", Map.of("base-url", FakeSelfHostedServers.TEI.baseUrl())));
        providers.put("compat2", plugins.create("compat2", "openai", Map.of("base-url",
                FakeSelfHostedServers.OPENAI_COMPATIBLE.baseUrl(), "max-retries", "0")));
        // TEI serves one model: another name is not its model.
        assertThatThrownBy(() -> Routes.build(providers, Map.of("other", new Routes.ModelSettings(List.of("tei2"),
                Optional.of("other-model"), Optional.empty(), ModelHints.NONE)), Optional.empty()))
                .hasMessageContaining("'tei2'");
        // The same model from TEI and from an OpenAI-compatible server: one space, so one may stand in for the other.
        assertThat(Routes.build(providers, Map.of("m", new Routes.ModelSettings(List.of("tei2", "compat2"),
                Optional.of(FakeSelfHostedServers.TEI_MODEL), Optional.empty(), ModelHints.NONE)), Optional.empty()))
                .isNotNull();
        providers.values().forEach(EmbeddingProvider::close);
    }

    @Test
    void teiIsSentThePromptNameOfTheInputTypeAndCountsItsTokens() {
        String text = "what is the capital " + java.util.UUID.randomUUID();
        Response query = Embeddings.post(body("tei-retrieval", List.of(text), "input_type", "query"));
        query.then().statusCode(200).body("usage.prompt_tokens", equalTo(FakeSelfHostedServers.teiTokens("query: " + text)));
        assertVector(query, 0, "query: " + text);
        FakeSelfHostedServers.TEI.verify(postRequestedFor(urlEqualTo("/embed"))
                .withRequestBody(matchingJsonPath("$.prompt_name", WireMock.equalTo("query"))));
        Response document = Embeddings.post(body("tei-retrieval", List.of(text), "input_type", "document"));
        document.then().statusCode(200).header("x-cache-misses", "1");
        assertVector(document, 0, "passage: " + text);
        FakeSelfHostedServers.TEI.verify(postRequestedFor(urlEqualTo("/embed"))
                .withRequestBody(matchingJsonPath("$.prompt_name", WireMock.equalTo("passage"))));
        // The type is part of the cache key: the query again is a hit with the query's vector.
        Response again = Embeddings.post(body("tei-retrieval", List.of(text), "input_type", "query"));
        again.then().statusCode(200).header("x-cache-hits", "1");
        assertVector(again, 0, "query: " + text);
        Embeddings.post(body("tei-retrieval", List.of(text), "input_type", "clustering")).then().statusCode(400)
                .body("error.param", equalTo("input_type"));
    }

    @Test
    void teiWithoutPromptNamesTakesQueryAsThePlainText() {
        Response query = Embeddings.post(body("tei-only", List.of("plain words"), "input_type", "query"));
        query.then().statusCode(200);
        assertVector(query, 0, "plain words");
        FakeSelfHostedServers.TEI.verify(0, postRequestedFor(urlEqualTo("/embed"))
                .withRequestBody(matchingJsonPath("$.prompt_name")));
    }

    @Test
    void tokenizeAsksTeiAndEstimatesForOllama() {
        String text = "héllo wörld 😀";
        Response tei = given().contentType(ContentType.JSON).body(Map.of("model", "tei-retrieval", "input", text,
                "return_offsets", true)).post("/v1/tokenize");
        tei.then().statusCode(200).body("data[0].tokens", equalTo(5)).body("data[0].estimated", equalTo(false))
                .body("max_input_tokens", equalTo(FakeSelfHostedServers.TEI_MAX_INPUT));
        assertThat(tei.jsonPath().getList("data[0].offsets")).containsExactly(null, List.of(0, 5), List.of(6, 11),
                List.of(12, 13), null);
        given().contentType(ContentType.JSON).body(Map.of("model", "tei-retrieval", "input", text, "input_type", "query"))
                .post("/v1/tokenize").then().statusCode(200).body("data[0].tokens", equalTo(6));
        FakeSelfHostedServers.TEI.verify(postRequestedFor(urlEqualTo("/tokenize"))
                .withRequestBody(matchingJsonPath("$.prompt_name", WireMock.equalTo("query"))));
        given().contentType(ContentType.JSON).body(Map.of("model", "nomic-embed-text", "input", "hello world"))
                .post("/v1/tokenize").then().statusCode(200).body("data[0].estimated", equalTo(true))
                .body("data[0].tokens", equalTo(2));
    }
}
