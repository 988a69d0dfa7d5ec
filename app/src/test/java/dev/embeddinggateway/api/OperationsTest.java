package dev.embeddinggateway.api;

import dev.embeddinggateway.routing.FakeOpenAiUpstreams;
import dev.embeddinggateway.testing.Embeddings;
import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

/** What operators and client tooling rely on besides embeddings: models, health, OpenAPI, metrics, ids. */
@QuarkusTest
class OperationsTest {

    @Test
    void modelsListTheConfiguredModelsInOpenAisShape() {
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItems("all-minilm-l6-v2", "bge-small-zh-v1.5-q", "minilm-strict", "plugin-model"))
                .body("data.find { it.id == 'bge-small-zh-v1.5-q' }.dimensions", equalTo(512))
                .body("data.find { it.id == 'bge-small-zh-v1.5-q' }.max_input_tokens", equalTo(512))
                .body("data.find { it.id == 'bge-small-zh-v1.5-q' }.object", equalTo("model"));
        given().get("/v1/models/all-minilm-l6-v2").then().statusCode(200)
                .body("id", equalTo("all-minilm-l6-v2")).body("dimensions", equalTo(384))
                .body("owned_by", equalTo("local"));
    }

    @Test
    void aModelIdWithASlashIsFoundEncodedOrNot() {
        given().get("/v1/models/sentence-transformers/all-MiniLM-L6-v2").then().statusCode(200)
                .body("id", equalTo("sentence-transformers/all-MiniLM-L6-v2"));
        given().urlEncodingEnabled(false).get("/v1/models/sentence-transformers%2Fall-MiniLM-L6-v2").then().statusCode(200)
                .body("id", equalTo("sentence-transformers/all-MiniLM-L6-v2"));
        given().get("/v1/models/sentence-transformers/other").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }

    @Test
    void browsersOfOtherOriginsGetNoCorsPermission() {
        given().header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/embeddings").then().header("access-control-allow-origin", (String) null);
        given().header("Origin", "https://elsewhere.example").contentType("application/json").body(Map.of("input", "x"))
                .post("/v1/embeddings").then().statusCode(200).header("access-control-allow-origin", (String) null);
    }

    @Test
    void oversizedHeadersAreRefusedAndServingGoesOn() {
        try {
            int status = given().header("x-padding", "a".repeat(64 * 1024)).get("/v1/models").statusCode();
            assertThat(status).isBetween(400, 499);
        } catch (Exception closed) {
            // The server may answer 431 and close before the client has written all of the request: the client
            // then fails writing (broken pipe, connection reset) and never reads the status. Refused all the same.
            assertThat(rootCause(closed)).isInstanceOf(java.net.SocketException.class);
        }
        given().get("/v1/models").then().statusCode(200);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void readinessIsTheReplicasOwnStateProvidersHaveAGroupOfTheirOwn() {
        int embeddingCalls = FakeOpenAiUpstreams.A.calls() + FakeOpenAiUpstreams.B.calls();
        // The test provider "broken" fails every call, yet this replica serves: it is ready.
        for (int i = 0; i < 3; i++) {
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'replica' }.data.draining", equalTo(false));
        }
        // The first free checks run as the gateway starts.
        Response providers = Eventually.within(Duration.ofSeconds(5)).until(() -> given().get("/q/health/group/providers"),
                r -> String.valueOf(r.jsonPath().getString("checks[0].data.broken")).startsWith("down"));
        providers.then().body("checks[0].data.local", equalTo("up"))
                .body("checks[0].data.openai-a", equalTo("up"))
                .body("checks[0].data.tei", equalTo("up")).body("checks[0].data.ollama", equalTo("up"))
                .body("checks[0].data.broken", containsString("down: provider broken is down"))
                .statusCode(200); // every model still has a provider that is up
        // Neither readiness nor the provider checks embedded anything: no paid call.
        assertThat(FakeOpenAiUpstreams.A.calls() + FakeOpenAiUpstreams.B.calls()).isEqualTo(embeddingCalls);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/embeddings"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void metricsCountRequestsAndTokensByProviderAndModel() {
        Embeddings.post(Map.of("model", "bge-small-zh-v1.5-q", "input", "治疗感冒的药")).then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("gateway_requests_total\\{[^}]*model=\"bge-small-zh-v1.5-q\"[^}]*provider=\"local-zh\"[^}]*} [1-9]")
                .containsPattern("gateway_input_tokens_total\\{[^}]*model=\"bge-small-zh-v1.5-q\"[^}]*} [1-9]")
                .contains("gateway_provider_latency_seconds_count");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        given().header("x-request-id", "abc-123").get("/v1/models").then().header("x-request-id", "abc-123");
        given().get("/v1/models").then().header("x-request-id", matchesPattern("[0-9a-f-]{36}"));
        // An id that could forge a log line is replaced.
        given().header("x-request-id", "bad id\r").get("/v1/models").then()
                .header("x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }
}
