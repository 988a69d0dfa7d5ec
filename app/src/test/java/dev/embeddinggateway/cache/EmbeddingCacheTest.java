package dev.embeddinggateway.cache;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import dev.embeddinggateway.routing.FakeOpenAiUpstreams;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-input cache (memory backend) as a client and the upstream see it. Texts carry a random tag so
 * that tests never share entries.
 */
@QuarkusTest
@QuarkusTestResource(FakeOpenAiUpstreams.class)
class EmbeddingCacheTest {
    private final String tag = " " + UUID.randomUUID();

    private static int header(Response response, String name) {
        return Integer.parseInt(response.getHeader(name));
    }

    /** What the fake OpenAI account received as inputs, per call, since the test began. */
    private static List<List<String>> upstreamInputs() {
        return FakeOpenAiUpstreams.A.server().findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(FakeOpenAi.EMBEDDINGS)))
                .stream().map(LoggedRequest::getBodyAsString)
                .map(body -> io.restassured.path.json.JsonPath.from(body).getList("input", String.class)).toList();
    }

    @Test
    void onlyMissesGoToTheProviderAndOrderIsKept() {
        FakeOpenAiUpstreams.A.answerEmbeddings();
        String a = "a" + tag, b = "b" + tag, c = "c" + tag, d = "d" + tag;
        Embeddings.post(Map.of("model", "text-embedding-3-small", "input", List.of(a, b))).then().statusCode(200);

        Response second = Embeddings.post(Map.of("model", "text-embedding-3-small", "input", List.of(c, a, d, b)));
        second.then().statusCode(200).header("x-gateway-provider", "openai-a");
        assertThat(header(second, "x-cache-hits")).isEqualTo(2);
        assertThat(header(second, "x-cache-misses")).isEqualTo(2);
        assertThat(upstreamInputs()).containsExactly(List.of(a, b), List.of(c, d));
        List<String> order = List.of(c, a, d, b);
        for (int i = 0; i < order.size(); i++) {
            assertThat(Embeddings.vector(second, i)).as(order.get(i)).containsExactly(FakeOpenAi.vectorOf(order.get(i), 1536));
        }
        // Usage counts every input, cached or not.
        int tokensOfAll = Embeddings.postUncached(Map.of("model", "text-embedding-3-small", "input", order)).jsonPath()
                .getInt("usage.prompt_tokens");
        assertThat(second.jsonPath().getInt("usage.prompt_tokens")).isEqualTo(tokensOfAll);
    }

    @Test
    void repeatsInsideOneRequestAreEmbeddedOnce() {
        FakeOpenAiUpstreams.A.answerEmbeddings();
        String x = "x" + tag, y = "y" + tag;
        Response response = Embeddings.post(Map.of("model", "text-embedding-3-small", "input", List.of(x, x, y, x)));
        assertThat(upstreamInputs()).containsExactly(List.of(x, y));
        assertThat(response.jsonPath().getList("data.index", Integer.class)).containsExactly(0, 1, 2, 3);
        assertThat(Embeddings.vector(response, 3)).containsExactly(FakeOpenAi.vectorOf(x, 1536));
        assertThat(Embeddings.vector(response, 2)).containsExactly(FakeOpenAi.vectorOf(y, 1536));
        int once = Embeddings.postUncached(Map.of("model", "text-embedding-3-small",
                "input", List.of(x))).jsonPath().getInt("usage.prompt_tokens");
        int yTokens = Embeddings.postUncached(Map.of("model", "text-embedding-3-small",
                "input", List.of(y))).jsonPath().getInt("usage.prompt_tokens");
        assertThat(response.jsonPath().getInt("usage.prompt_tokens")).isEqualTo(3 * once + yTokens);
    }

    @Test
    void fullyCachedRequestNamesTheCacheAndAsksNoProvider() {
        FakeOpenAiUpstreams.A.answerEmbeddings();
        String text = "cached" + tag;
        Embeddings.post(Map.of("model", "text-embedding-3-small", "input", text)).then().header("x-cache-misses", "1");
        int calls = FakeOpenAiUpstreams.A.calls();
        Embeddings.post(Map.of("model", "text-embedding-3-small", "input", text)).then().statusCode(200)
                .header("x-gateway-provider", "cache").header("x-cache-hits", "1").header("x-cache-misses", "0");
        assertThat(FakeOpenAiUpstreams.A.calls()).isEqualTo(calls);
    }

    @Test
    void twoModelsAndTwoSizesNeverShareAnEntry() {
        String text = "same text" + tag;
        Embeddings.post(Map.of("model", "all-minilm-l6-v2", "input", text)).then().header("x-cache-misses", "1");
        Response zh = Embeddings.post(Map.of("model", "bge-small-zh-v1.5-q", "input", text));
        zh.then().header("x-cache-misses", "1");
        assertThat(Embeddings.vector(zh, 0)).hasSize(512);

        Embeddings.post(Map.of("model", "text-embedding-3-small", "input", text, "dimensions", 256)).then()
                .header("x-cache-misses", "1");
        Response larger = Embeddings.post(Map.of("model", "text-embedding-3-small", "input", text, "dimensions", 512));
        larger.then().header("x-cache-misses", "1");
        assertThat(Embeddings.vector(larger, 0)).containsExactly(FakeOpenAi.vectorOf(text, 512));
    }

    @Test
    void base64FromTheCacheIsTheSameVectorAsFloat() {
        String text = "base64" + tag;
        Response asFloat = Embeddings.post(Map.of("input", text));
        Response asBase64 = Embeddings.post(Map.of("input", text, "encoding_format", "base64"));
        asBase64.then().header("x-cache-hits", "1");
        assertThat(Embeddings.vector(asBase64, 0)).containsExactly(Embeddings.vector(asFloat, 0));
    }

    @Test
    void noStoreNeitherReadsNorWrites() {
        String text = "private" + tag;
        Embeddings.postUncached(Map.of("input", text)).then().header("x-cache-misses", "1");
        Embeddings.post(Map.of("input", text)).then().header("x-cache-misses", "1");
        Embeddings.postUncached(Map.of("input", text)).then().header("x-cache-hits", "0");
        Embeddings.post(Map.of("input", text)).then().header("x-cache-hits", "1");
    }

    @Test
    void modelThatOptsOutIsNeverCached() {
        String text = "uncached" + tag;
        Embeddings.post(Map.of("model", "uncached-minilm", "input", text)).then().statusCode(200);
        Embeddings.post(Map.of("model", "uncached-minilm", "input", text)).then().header("x-cache-hits", "0")
                .header("x-gateway-provider", "local");
    }

    @Test
    void hitsAndMissesAreMetered() {
        String text = "metered" + tag;
        Embeddings.post(Map.of("input", text));
        Embeddings.post(Map.of("input", text));
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .containsPattern("gateway_cache_hits_total\\{[^}]*backend=\"memory\"[^}]*model=\"all-minilm-l6-v2\"[^}]*} [1-9]")
                .containsPattern("gateway_cache_misses_total\\{[^}]*backend=\"memory\"[^}]*model=\"all-minilm-l6-v2\"[^}]*} [1-9]");
    }
}
