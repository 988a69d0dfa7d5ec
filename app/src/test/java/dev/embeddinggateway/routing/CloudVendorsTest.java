package dev.embeddinggateway.routing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.testing.Embeddings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The provider types cohere, voyage, jina and gemini through POST /v1/embeddings, against fakes that speak each
 * vendor's documented API: what each is sent, how large requests are split, usage, and each error status.
 */
@QuarkusTest
@QuarkusTestResource(FakeCloudVendors.class)
class CloudVendorsTest {

    @AfterEach
    void vendorsRecover() {
        FakeCloudVendors.answerNormally();
    }

    private static List<String> texts(int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return IntStream.range(0, count).mapToObj(i -> "text number " + i + " of " + run).toList();
    }

    /** The bodies each call to {@code server} carried, in order. */
    private static List<JsonPath> calls(WireMockServer server) {
        return server.findAll(postRequestedFor(urlPathMatching(".*"))).stream().map(LoggedRequest::getBodyAsString)
                .map(JsonPath::from).toList();
    }

    /** Every vector of the answer is the fake vendor's of its text, in input order. */
    private static void assertVectors(Response response, List<String> texts, String vendorType, int dims) {
        List<List<Number>> vectors = response.jsonPath().getList("data.embedding");
        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = FakeCloudVendors.vectorOf(vendorType, texts.get(i), dims);
            List<Number> got = vectors.get(i);
            assertThat(got).as(texts.get(i)).hasSize(dims);
            double worst = IntStream.range(0, dims).mapToDouble(d -> Math.abs(got.get(d).floatValue() - expected[d])).max()
                    .orElse(0);
            assertThat(worst).as(texts.get(i)).isLessThan(1e-6);
        }
    }

    private static int words(List<String> texts) {
        return texts.stream().mapToInt(FakeCloudVendors::tokens).sum();
    }

    @Test
    void cohereIsSent96TextsACallAsDocumentsByDefaultAndBillsItsOwnCount() {
        List<String> texts = texts(100);
        Response response = Embeddings.postUncached(body("embed-v4.0", texts));
        response.then().statusCode(200).header("x-gateway-provider", "cohere")
                .body("usage.prompt_tokens", equalTo(words(texts)));
        assertVectors(response, texts, "search_document", 1536);
        List<JsonPath> calls = calls(FakeCloudVendors.COHERE);
        assertThat(calls).extracting(c -> c.getList("texts").size()).containsExactlyInAnyOrder(96, 4);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.getString("model")).isEqualTo("embed-v4.0");
            assertThat(c.getList("embedding_types")).containsExactly("float");
            assertThat(c.getString("truncate")).isEqualTo("END");
            assertThat(c.getString("output_dimension")).isNull();
        });
        FakeCloudVendors.COHERE.verify(postRequestedFor(urlPathMatching("/v2/embed"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + FakeCloudVendors.KEY)));
    }

    @Test
    void cohereTakesTheInputTypeAndItsOwnSizesAndTheGatewayCutsOthers() {
        List<String> texts = texts(2);
        assertVectors(Embeddings.postUncached(body("embed-v4.0", texts, "input_type", "query", "dimensions", 512)).then()
                .statusCode(200)
                .extract().response(), texts, "search_query", 512);
        assertThat(calls(FakeCloudVendors.COHERE).get(0).getInt("output_dimension")).isEqualTo(512);
        // 300 is no size of Cohere's: 512 is asked for and cut to 300, renormalized.
        List<List<Float>> cut = Embeddings.postUncached(body("embed-v4.0", texts, "input_type", "clustering", "dimensions", 300))
                .then().statusCode(200).extract().jsonPath().getList("data.embedding");
        float[] expected = Vectors.normalize(Arrays.copyOf(FakeCloudVendors.vectorOf("clustering", texts.get(0), 512), 300));
        assertThat(cut.get(0)).hasSize(300);
        assertThat(((Number) cut.get(0).get(0)).floatValue()).isCloseTo(expected[0], offset(1e-6f));
        assertThat(calls(FakeCloudVendors.COHERE).get(1).getInt("output_dimension")).isEqualTo(512);
    }

    @Test
    @Tag("slow") // bulk: 1001 texts
    void voyageAnswersInAnyOrderAndTakesQueryOrNothing() {
        List<String> texts = texts(1001);
        Response response = Embeddings.postUncached(body("voyage-3.5", texts));
        response.then().statusCode(200).body("usage.prompt_tokens", equalTo(words(texts)));
        assertVectors(response, texts, null, 1024);
        List<JsonPath> calls = calls(FakeCloudVendors.VOYAGE);
        assertThat(calls.subList(0, 2)).extracting(c -> c.getList("input").size()).containsExactlyInAnyOrder(1000, 1);
        assertThat(calls.get(0).getString("input_type")).isNull();
        assertThat(calls.get(0).getBoolean("truncation")).isTrue();
        assertVectors(Embeddings.postUncached(body("voyage-3.5", texts.subList(0, 2), "input_type", "query")).then()
                .statusCode(200).extract()
                .response(), texts.subList(0, 2), "query", 1024);
        Embeddings.postUncached(body("voyage-3.5", texts.subList(0, 1), "input_type", "clustering")).then().statusCode(400)
                .body("error.param", equalTo("input_type"));
    }

    @Test
    void jinaIsSentItsTaskAndAnySize() {
        List<String> texts = texts(3);
        Response response = Embeddings.postUncached(body("jina-embeddings-v3", texts, "input_type", "clustering",
                "dimensions", 100));
        response.then().statusCode(200).body("usage.prompt_tokens", equalTo(words(texts)));
        assertVectors(response, texts, "separation", 100);
        JsonPath call = calls(FakeCloudVendors.JINA).get(0);
        assertThat(call.getInt("dimensions")).isEqualTo(100);
        assertThat(call.getString("embedding_type")).isEqualTo("float");
        assertVectors(Embeddings.postUncached(body("jina-embeddings-v3", texts, "input_type", "document")).then().extract()
                .response(), texts,
                "retrieval.passage", 1024);
    }

    @Test
    void geminiIsSentItsKeyHeaderAHundredRequestsACallAndNormalizedHere() {
        List<String> texts = texts(150);
        Response response = Embeddings.postUncached(body("gemini-embedding-001", texts, "input_type", "query",
                "dimensions", 768));
        response.then().statusCode(200).header("x-gateway-provider", "gemini");
        assertVectors(response, texts, "RETRIEVAL_QUERY", 768);
        List<JsonPath> calls = calls(FakeCloudVendors.GEMINI);
        assertThat(calls).extracting(c -> c.getList("requests").size()).containsExactlyInAnyOrder(100, 50);
        assertThat(calls.get(0).getString("requests[0].model")).isEqualTo("models/gemini-embedding-001");
        assertThat(calls.get(0).getInt("requests[0].outputDimensionality")).isEqualTo(768);
        FakeCloudVendors.GEMINI.verify(postRequestedFor(urlPathMatching("/models/gemini-embedding-001:batchEmbedContents"))
                .withHeader("x-goog-api-key", WireMock.equalTo(FakeCloudVendors.KEY)).withoutHeader("Authorization"));
        // Gemini counts no tokens: usage is the gateway's estimate, as /v1/tokenize says.
        int estimate = given().contentType(ContentType.JSON).body(Map.of("model", "gemini-embedding-001", "input", texts))
                .post("/v1/tokenize").then().statusCode(200).body("data[0].estimated", equalTo(true))
                .extract().jsonPath().getList("data.tokens", Integer.class).stream().mapToInt(i -> i).sum();
        response.then().body("usage.prompt_tokens", equalTo(estimate));
    }

    @Test
    void eachVendorsErrorsMeanWhatOpenAisDo() {
        Map<String, WireMockServer> vendors = Map.of("embed-v4.0", FakeCloudVendors.COHERE, "voyage-3.5", FakeCloudVendors.VOYAGE,
                "jina-embeddings-v3", FakeCloudVendors.JINA, "gemini-embedding-001", FakeCloudVendors.GEMINI);
        vendors.forEach((model, server) -> {
            stub(server, aResponse().withStatus(400).withHeader("content-type", "application/json")
                    .withBody("{\"message\":\"cohere says no\",\"detail\":\"voyage says no\",\"error\":{\"message\":\"google says no\"}}"));
            Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.message", containsString("says no"));
            stub(server, aResponse().withStatus(429).withHeader("retry-after", "7"));
            Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(429).header("retry-after", "7");
            stub(server, aResponse().withStatus(500));
            Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(502)
                    .body("error.type", equalTo("upstream_error"));
            stub(server, aResponse().withStatus(401).withBody("{\"message\":\"invalid api token\"}"));
            Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(502)
                    .body("error.message", containsString("credentials"))
                    .body("error.message", not(containsString(FakeCloudVendors.KEY)));
            FakeCloudVendors.answerNormally();
        });
    }

    @Test
    void bedrockSignsItsCallsAndSendsTitanOneTextACall() {
        List<String> texts = texts(3);
        Response response = Embeddings.postUncached(body("amazon.titan-embed-text-v2:0", texts, "dimensions", 512));
        response.then().statusCode(200).header("x-gateway-provider", "bedrock").body("usage.prompt_tokens", equalTo(words(texts)));
        assertVectors(response, texts, "titan", 512);
        List<JsonPath> calls = calls(FakeCloudVendors.BEDROCK);
        assertThat(calls).hasSize(3).allSatisfy(c -> {
            assertThat(c.getInt("dimensions")).isEqualTo(512);
            assertThat(c.getBoolean("normalize")).isTrue();
        });
        FakeCloudVendors.BEDROCK.verify(postRequestedFor(urlPathMatching("/model/amazon.titan-embed-text-v2(:|%3A)0/invoke"))
                .withHeader("Authorization", WireMock.matching("AWS4-HMAC-SHA256 Credential=AKIDGATEWAYTEST/\\d{8}/us-east-1/bedrock/aws4_request.*")));
    }

    @Test
    void bedrocksCohereModelsTake96TextsACallAndTheirInputType() {
        List<String> texts = texts(100);
        Response response = Embeddings.postUncached(body("cohere.embed-english-v3", texts, "input_type", "query"));
        response.then().statusCode(200);
        assertVectors(response, texts, "search_query", 1024);
        assertThat(calls(FakeCloudVendors.BEDROCK)).extracting(c -> c.getList("texts").size()).containsExactlyInAnyOrder(96, 4);
    }

    @Test
    void bedrocksErrorsMeanWhatOpenAisDoAndNoSecretShows() {
        String model = "amazon.titan-embed-text-v2:0";
        stub(FakeCloudVendors.BEDROCK, FakeCloudVendors.awsError(400, "ValidationException", "Input is too long"));
        Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(400)
                .body("error.message", containsString("Input is too long"));
        stub(FakeCloudVendors.BEDROCK, FakeCloudVendors.awsError(429, "ThrottlingException", "Too many requests"));
        Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(429);
        stub(FakeCloudVendors.BEDROCK, FakeCloudVendors.awsError(403, "AccessDeniedException", "no access to the model"));
        Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(502)
                .body("error.message", containsString("credentials"))
                .body("error.message", not(containsString("bedrock-secret-never-shown")));
        stub(FakeCloudVendors.BEDROCK, FakeCloudVendors.awsError(500, "InternalServerException", "oops"));
        Embeddings.postUncached(body(model, List.of("x"))).then().statusCode(502).body("error.type", equalTo("upstream_error"));
    }

    /** The ledger's billed and estimated tokens of {@code model} this month so far. */
    private static long[] ledger(String model) {
        Map<String, Object> row = given().get("/v1/usage?group_by=model").then().statusCode(200).extract().jsonPath()
                .getMap("data.find { it.model == '" + model + "' }");
        return row == null ? new long[2] : new long[]{((Number) row.get("billed_tokens")).longValue(),
                ((Number) row.get("estimated_tokens")).longValue()};
    }

    @Test
    void theLedgerSaysWhichTokensTheVendorCountedAndWhichTheGatewayEstimated() {
        long[] geminiBefore = ledger("gemini-embedding-001");
        long[] cohereBefore = ledger("embed-v4.0");
        Embeddings.postUncached(body("gemini-embedding-001", texts(3))).then().statusCode(200);
        Embeddings.postUncached(body("embed-v4.0", texts(3))).then().statusCode(200);
        long[] gemini = ledger("gemini-embedding-001");
        long[] cohere = ledger("embed-v4.0");
        assertThat(gemini[0] - geminiBefore[0]).isPositive();
        assertThat(gemini[1] - geminiBefore[1]).isEqualTo(gemini[0] - geminiBefore[0]);
        assertThat(cohere[0] - cohereBefore[0]).isPositive();
        assertThat(cohere[1] - cohereBefore[1]).isZero();
    }

    private static void stub(WireMockServer server, ResponseDefinitionBuilder answer) {
        server.resetAll();
        server.stubFor(post(urlPathMatching(".*")).willReturn(answer));
    }
}
