package dev.embeddinggateway.usage;

import dev.embeddinggateway.routing.FakeOpenAiUpstreams;
import dev.embeddinggateway.testing.Embeddings;
import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;

import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Cost on every response, and /v1/usage as a client reads it. */
@QuarkusTest
@QuarkusTestResource(FakeOpenAiUpstreams.class)
class UsageEndpointTest {

    @Test
    void openAiModelCostsItsListPricePerBilledToken() {
        FakeOpenAiUpstreams.answerNormally();
        Response response = Embeddings.postUncached(body("text-embedding-3-small", "what does this cost"));
        int tokens = response.jsonPath().getInt("usage.prompt_tokens");
        BigDecimal cost = new BigDecimal(response.getHeader("x-gateway-cost-usd"));
        assertThat(cost).isEqualByComparingTo(new BigDecimal("0.02").multiply(BigDecimal.valueOf(tokens)).movePointLeft(6));
        assertThat(given().get("/q/metrics").asString())
                .containsPattern("gateway_cost_usd_total\\{[^}]*model=\"text-embedding-3-small\"[^}]*team=\"anonymous\"} [0-9.E-]+");
    }

    @Test
    void localModelCostsNothing() {
        Embeddings.postUncached(body("all-minilm-l6-v2", "free")).then().header("x-gateway-cost-usd", "0");
    }

    @Test
    void usageIsGroupedAndSummed() {
        Embeddings.postUncached(body("bge-small-zh-v1.5-q", "记账"));
        given().get("/v1/usage?group_by=provider,model,team,key,day").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("group_by", equalTo(java.util.List.of("provider", "model", "team", "key", "day")))
                .body("data.model", hasItem("bge-small-zh-v1.5-q"))
                .body("data.find { it.model == 'bge-small-zh-v1.5-q' }.team", equalTo("anonymous"))
                .body("data.find { it.model == 'bge-small-zh-v1.5-q' }.cost_usd", equalTo("0"));
    }

    @Test
    void theLastHourGroupsByMinuteAndByHour() {
        java.time.Instant before = java.time.Instant.now();
        Embeddings.postUncached(body("all-minilm-l6-v2", "by the minute"));
        java.time.Instant now = java.time.Instant.now();
        String from = now.minusSeconds(3600).toString();
        // The ledger writes every flush: wait for this request's minute.
        Eventually.within(Duration.ofSeconds(5))
                .until(() -> given().get("/v1/usage?group_by=minute&from=" + from).asString()
                        .contains(before.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString())
                        || given().get("/v1/usage?group_by=minute&from=" + from).asString()
                        .contains(now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString()));
        java.util.List<String> minutes = given().get("/v1/usage?group_by=minute&from=" + from).then().statusCode(200)
                .extract().jsonPath().getList("data.minute", String.class);
        assertThat(minutes).isNotEmpty().allSatisfy(m -> assertThat(m).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z"))
                .containsAnyOf(before.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString(),
                        now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString());
        java.util.List<String> hours = given().get("/v1/usage?group_by=hour&from=" + from).then().statusCode(200)
                .extract().jsonPath().getList("data.hour", String.class);
        assertThat(hours).containsAnyOf(before.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString(),
                now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString());
    }

    @Test
    void csvHasAHeaderAndOneLinePerGroup() {
        Embeddings.postUncached(body("all-minilm-l6-v2", "csv"));
        String csv = given().get("/v1/usage?group_by=model&format=csv").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv.lines().findFirst()).contains("model,requests,input_tokens,billed_tokens,estimated_tokens,cached_tokens,cost_usd,saved_usd");
        assertThat(csv).containsPattern("(?m)^all-minilm-l6-v2,[1-9]");
    }

    @ParameterizedTest
    @CsvSource({"group_by=color, group_by", "from=yesterday, from", "to=2026-13-01, to", "format=xml, format",
            "to=%2B1000000000-01-01T00:00:00Z, to", "from=-1000000000-01-01T00:00:00Z, from",
            "from=%2B10000-01-02T00:00:00Z, from", "from=1969-12-31, from", "to=99999-01-01, to"})
    void badParametersAreClientErrors(String query, String param) {
        // Sent as written: a '+' in a date is %2B.
        given().urlEncodingEnabled(false).get("/v1/usage?" + query).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo(param));
    }
}
