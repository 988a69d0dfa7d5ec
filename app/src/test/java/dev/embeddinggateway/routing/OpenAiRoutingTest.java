package dev.embeddinggateway.routing;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** text-embedding-3-small through two fake OpenAI accounts: what a client sees of each upstream case. */
@QuarkusTest
@QuarkusTestResource(FakeOpenAiUpstreams.class)
class OpenAiRoutingTest {

    @AfterEach
    void upstreamsRecover() {
        FakeOpenAiUpstreams.answerNormally();
    }

    @Test
    void servedByThePreferredProviderWithDimensions() {
        Response response = Embeddings.postUncached(body("text-embedding-3-small", List.of("hello", "world"), "dimensions", 256));
        response.then().statusCode(200).header("x-gateway-provider", "openai-a");
        List<Float> first = response.jsonPath().getList("data[0].embedding", Float.class);
        assertThat(first).hasSize(256);
        float[] expected = FakeOpenAi.vectorOf("hello", 256);
        for (int i = 0; i < expected.length; i++) {
            assertThat(first.get(i)).isEqualTo(expected[i]);
        }
    }

    @Test
    void openAisModelsTakeQueryAndDocumentAsThePlainText() {
        String text = "plain " + UUID.randomUUID();
        Response query = Embeddings.postUncached(body("openai-a-only", text, "input_type", "query"));
        query.then().statusCode(200);
        float[] expected = FakeOpenAi.vectorOf(text, 1536);
        assertThat(query.jsonPath().getList("data[0].embedding", Float.class).get(0)).isEqualTo(expected[0]);
        // OpenAI is sent its own request: the text unchanged, and no field it does not define.
        FakeOpenAiUpstreams.A.server().verify(postRequestedFor(urlEqualTo(FakeOpenAi.EMBEDDINGS))
                .withRequestBody(matchingJsonPath("$.input[0]", WireMock.equalTo(text)))
                .withRequestBody(notContaining("input_type")));
        Embeddings.postUncached(body("openai-a-only", "x", "input_type", "clustering")).then().statusCode(400)
                .body("error.param", equalTo("input_type"));
    }

    @Test
    void failingProviderFallsBackToTheNext() {
        FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(500)));
        Embeddings.postUncached(body("text-embedding-3-small", "hello")).then().statusCode(200)
                .header("x-gateway-provider", "openai-b");
    }

    /** OpenAI's answer shape for one input, with the given JSON in its places; {@code usage} null leaves it out. */
    private static String answer(String embedding, int index, String usage) {
        return "{\"object\":\"list\",\"model\":\"text-embedding-3-small\",\"data\":[{\"object\":\"embedding\",\"index\":"
                + index + ",\"embedding\":" + embedding + "}]" + (usage == null ? "" : ",\"usage\":" + usage) + "}";
    }

    @Test
    void malformedUpstreamAnswersAreProviderFailuresNeverVectors() {
        String usage = "{\"prompt_tokens\":1,\"total_tokens\":1}";
        float[] nan = FakeOpenAi.vectorOf("hello", 1536);
        nan[7] = Float.NaN;
        float[] infinite = FakeOpenAi.vectorOf("hello", 1536);
        infinite[3] = Float.POSITIVE_INFINITY;
        String valid = "\"" + Vectors.toBase64(FakeOpenAi.vectorOf("hello", 1536)) + "\"";
        List<String> answers = List.of(
                answer("\"" + Vectors.toBase64(nan) + "\"", 0, usage),
                answer("\"" + Vectors.toBase64(infinite) + "\"", 0, usage),
                answer("\"" + Vectors.toBase64(FakeOpenAi.vectorOf("hello", 3072)) + "\"", 0, usage),
                answer(valid, 5, usage),
                answer(valid, -1, usage),
                answer(valid, 0, null),
                answer(valid, 0, "{\"prompt_tokens\":-7,\"total_tokens\":-7}"),
                answer("\"!!! no base64 !!!\"", 0, usage),
                answer("{\"not\":\"a vector\"}", 0, usage),
                answer("true", 0, usage));
        String text = "never cached " + UUID.randomUUID();
        for (String bad : answers) {
            FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(200)
                    .withHeader("content-type", "application/json").withBody(bad)));
            Response fallback = Embeddings.postUncached(body("text-embedding-3-small", "hello"));
            fallback.then().statusCode(200).header("x-gateway-provider", "openai-b");
            assertThat(fallback.jsonPath().getList("data[0].embedding", Float.class)).as(bad).hasSize(1536)
                    .first().isEqualTo(FakeOpenAi.vectorOf("hello", 1536)[0]);
            Embeddings.post(body("openai-a-only", text)).then().statusCode(502).body("error.type", equalTo("upstream_error"))
                    .body("error.message", containsString("provider openai-a failed: the upstream's answer is malformed"));
        }
        FakeOpenAiUpstreams.answerNormally();
        // None of those answers was cached: the text is embedded now, for the first time.
        Embeddings.post(body("openai-a-only", text)).then().statusCode(200).header("x-cache-misses", "1");
    }

    @Test
    void clientsBadInputIsNotRetriedElsewhere() {
        FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"Invalid input for this model\",\"type\":\"invalid_request_error\",\"param\":\"input\"}}")));
        Embeddings.postUncached(body("text-embedding-3-small", "hello")).then().statusCode(400)
                .body("error.message", containsString("Invalid input for this model"))
                .body("error.message", containsString("provider openai-a"));
        assertThat(FakeOpenAiUpstreams.B.calls()).isZero();
    }

    @Test
    void allProvidersDownIsA502NamingTheProviderAndNoKey() {
        FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(500)));
        FakeOpenAiUpstreams.B.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-gateway-secret-b\"}}")));
        Embeddings.postUncached(body("text-embedding-3-small", "hello")).then().statusCode(502)
                .body("error.type", equalTo("upstream_error"))
                .body("error.message", containsString("provider openai-b rejected the gateway's credentials"))
                .body(not(containsString("sk-gateway-secret")));
    }

    @Test
    void upstreamTimeoutIsA504() {
        FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(500)));
        FakeOpenAiUpstreams.B.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withFixedDelay(4000)));
        // openai-a fails, openai-b gives no answer within its 2 s: the last failure is what the client hears.
        Embeddings.postUncached(body("text-embedding-3-small", "hello")).then().statusCode(504)
                .body("error.message", containsString("provider openai-b timed out"));
    }

    @Test
    void upstreamRateLimitIs429WithRetryAfter() {
        FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(429).withHeader("retry-after", "3")));
        FakeOpenAiUpstreams.B.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(429).withHeader("retry-after", "5")));
        Embeddings.postUncached(body("text-embedding-3-small", "hello")).then().statusCode(429)
                .header("retry-after", "5")
                .body("error.type", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("provider openai-b"));
    }

    @Test
    void providerLimitKeepsTheGatewayInsideTheUpstreamQuota() {
        int before = FakeOpenAiUpstreams.B.calls();
        Embeddings.postUncached(body("quota-model", "one")).then().statusCode(200);
        Embeddings.postUncached(body("quota-model", "two")).then().statusCode(200);
        Response third = Embeddings.postUncached(body("quota-model", "three"));
        third.then().statusCode(429).body("error.message", containsString("provider openai-quota is at the rate limit"));
        assertThat(Integer.parseInt(third.getHeader("retry-after"))).isBetween(1, 60);
        assertThat(FakeOpenAiUpstreams.B.calls() - before).isEqualTo(2);
    }

    @Test
    void longInputIsRefusedBeforeAnyMoneyIsSpent() {
        int before = FakeOpenAiUpstreams.A.calls();
        Embeddings.postUncached(body("text-embedding-3-small", "word ".repeat(9000))).then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"));
        assertThat(FakeOpenAiUpstreams.A.calls()).isEqualTo(before);
    }

    @Test
    void providerThatKeepsFailingIsSkippedAndItsHealthSaysSo() {
        FakeOpenAiUpstreams.FLAKY.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 3; i++) {
            Embeddings.postUncached(body("flaky-model", "hello")).then().statusCode(200).header("x-gateway-provider", "openai-b");
        }
        int callsWhenOpened = FakeOpenAiUpstreams.FLAKY.calls();
        Embeddings.postUncached(body("flaky-model", "hello")).then().statusCode(200).header("x-gateway-provider", "openai-b");
        assertThat(FakeOpenAiUpstreams.FLAKY.calls()).isEqualTo(callsWhenOpened);
        given().get("/q/health/group/providers").then().body("checks[0].data.flaky", containsString("circuit open"));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
