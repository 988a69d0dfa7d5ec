package dev.embeddinggateway.auth;

import dev.embeddinggateway.testing.Embeddings;
import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.embeddinggateway.testing.Embeddings.body;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Keys, what they may use, and their limits and budgets, as clients see them. */
@QuarkusTest
@TestProfile(KeysProfile.class)
class KeysAndLimitsTest {

    @Test
    void noKeyOrAWrongKeyIs401() {
        Embeddings.postUncached(null, body("all-minilm-l6-v2", "x")).then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key")).body("error.type", equalTo("invalid_request_error"));
        Embeddings.postUncached("sk-not-a-key", body("all-minilm-l6-v2", "x")).then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().get("/v1/models").then().statusCode(401);
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedOthersAreNot() {
        String guesser = "203.0.113.7";
        for (int i = 0; i < 20; i++) {
            given().header("X-Forwarded-For", guesser).header("Authorization", "Bearer sk-guess-" + i).get("/v1/models")
                    .then().statusCode(401);
        }
        given().header("X-Forwarded-For", guesser).header("Authorization", "Bearer sk-guess-20").get("/v1/models")
                .then().statusCode(429).header("retry-after", notNullValue())
                .body("error.code", equalTo("rate_limit_exceeded"));
        // Refused before any key is checked, a right one included: guessing gains nothing.
        given().header("X-Forwarded-For", guesser).header("Authorization", "Bearer " + KeysProfile.ZH_ONLY).get("/v1/models")
                .then().statusCode(429);
        given().header("X-Forwarded-For", "198.51.100.9").header("Authorization", "Bearer " + KeysProfile.ZH_ONLY)
                .get("/v1/models").then().statusCode(200);
    }

    @Test
    void modelOutsideTheKeysListIsNotFound() {
        Embeddings.postUncached(KeysProfile.ZH_ONLY, body("all-minilm-l6-v2", "x")).then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        Embeddings.postUncached(KeysProfile.ZH_ONLY, body("bge-small-zh-v1.5-q", "模型")).then().statusCode(200);
    }

    @Test
    void metricsAnswerTheMetricsTokenAndTheAdminKeyOnly() {
        given().get("/q/metrics").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer " + KeysProfile.SEARCH).get("/q/metrics").then().statusCode(403)
                .body("error.code", equalTo("metrics_token_required"));
        given().header("Authorization", "Bearer " + KeysProfile.METRICS_TOKEN).get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_"));
        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aKeyListsAndFindsOnlyTheModelsItMayUse() {
        var zh = given().header("Authorization", "Bearer " + KeysProfile.ZH_ONLY);
        zh.get("/v1/models").then().statusCode(200).body("data.id", contains("bge-small-zh-v1.5-q"));
        zh.get("/v1/models/bge-small-zh-v1.5-q").then().statusCode(200);
        zh.get("/v1/models/all-minilm-l6-v2").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().header("Authorization", "Bearer " + KeysProfile.SEARCH).get("/v1/models").then().statusCode(200)
                .body("data.id", hasItem("all-minilm-l6-v2")).body("data.id", hasItem("bge-small-zh-v1.5-q"));
    }

    @Test
    @Tag("slow") // load: 100 concurrent requests
    void hundredConcurrentRequestsAgainstTenPerMinuteAdmitExactlyTen() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            calls.add(clients.submit(() -> Embeddings.postUncached(KeysProfile.SEARCH, body("all-minilm-l6-v2", "query " + n))));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> call : calls) {
            responses.add(call.get());
        }
        clients.shutdown();
        List<Response> admitted = responses.stream().filter(r -> r.statusCode() == 200).toList();
        List<Response> refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        System.out.printf("100 concurrent requests, 10 per minute: %d admitted, %d refused%n", admitted.size(), refused.size());
        assertThat(admitted).hasSize(10);
        assertThat(refused).hasSize(90);
        Response limited = refused.get(0);
        limited.then().body("error.code", equalTo("rate_limit_exceeded")).body("error.type", equalTo("requests"))
                .header("x-ratelimit-limit-requests", "10").header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", notNullValue());
        // retry-after says when the request would pass: at the latest when the minute is over.
        assertThat(Integer.parseInt(limited.getHeader("retry-after"))).isBetween(1, 60);
        assertThat(admitted.get(0).getHeader("x-ratelimit-limit-requests")).isEqualTo("10");
    }

    private static Response tokenize(String key, String model, String text) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("model", model, "input", text)).post("/v1/tokenize");
    }

    @Test
    void tokenizeTakesTheKeyItsModelsAndItsRequestLimitButNoTokensOrBudget() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("input", "x")).post("/v1/tokenize").then().statusCode(401);
        tokenize(KeysProfile.ZH_ONLY, "all-minilm-l6-v2", "x").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        tokenize(KeysProfile.ZH_ONLY, "bge-small-zh-v1.5-q", "模型").then().statusCode(200);
        // Never billed: a key whose budget is spent by embeddings still counts tokens.
        for (int i = 0; i < 5; i++) {
            tokenize(KeysProfile.BUDGET, "priced-minilm", "word ".repeat(200)).then().statusCode(200);
        }
        // 5 requests a minute and 10 tokens: 60 concurrent calls of 100 tokens each admit exactly 5.
        ExecutorService clients = Executors.newFixedThreadPool(20);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            calls.add(clients.submit(() -> tokenize(KeysProfile.TOKENIZER, "all-minilm-l6-v2", "word ".repeat(98))));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> call : calls) {
            statuses.add(call.get().statusCode());
        }
        clients.shutdown();
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(55);
        tokenize(KeysProfile.TOKENIZER, "all-minilm-l6-v2", "x").then().statusCode(429)
                .body("error.type", equalTo("requests"));
    }

    @Test
    void aBatchFileBelongsToTheKeyThatUploadedItAndTheAdmin() {
        // A key without a request limit: the calls to /v1/files count against it.
        String id = given().header("Authorization", "Bearer " + KeysProfile.TOKENS)
                .multiPart("file", "mine.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8)).multiPart("purpose", "batch")
                .post("/v1/files").then().statusCode(200).extract().path("id");
        var other = given().header("Authorization", "Bearer " + KeysProfile.ZH_ONLY);
        other.get("/v1/files/" + id).then().statusCode(404);
        other.get("/v1/files/" + id + "/content").then().statusCode(404);
        other.delete("/v1/files/" + id).then().statusCode(404);
        assertThat(other.get("/v1/files").then().statusCode(200).extract().jsonPath().getList("data.id", String.class))
                .doesNotContain(id);
        given().header("Authorization", "Bearer " + KeysProfile.TOKENS).get("/v1/files/" + id).then().statusCode(200);
        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).get("/v1/files/" + id).then().statusCode(200);
        given().get("/v1/files/" + id).then().statusCode(401);
    }

    @Test
    void tokenLimitCountsLongAndShortInputs() {
        String longText = "word ".repeat(400); // truncated to the model's 256 tokens, which is what counts
        Embeddings.postUncached(KeysProfile.TOKENS, body("all-minilm-l6-v2", longText)).then().statusCode(200)
                .header("x-ratelimit-remaining-tokens", "344");
        Embeddings.postUncached(KeysProfile.TOKENS, body("all-minilm-l6-v2", longText + "b")).then().statusCode(200)
                .header("x-ratelimit-remaining-tokens", "88");
        Embeddings.postUncached(KeysProfile.TOKENS, body("all-minilm-l6-v2", longText + "c")).then().statusCode(429)
                .body("error.type", equalTo("tokens")).header("x-ratelimit-limit-tokens", "600");
        Embeddings.postUncached(KeysProfile.TOKENS, body("all-minilm-l6-v2", "short")).then().statusCode(200)
                .header("x-ratelimit-remaining-tokens", "85");
    }

    @Test
    void aRequestLargerThanAWholeMinutesTokensIsRefusedForGoodNotDeferred() {
        String longText = "word ".repeat(400); // 256 tokens each once truncated: 768 against 600 a minute
        given().header("Authorization", "Bearer " + KeysProfile.TOKENS).contentType(ContentType.JSON)
                .body(Map.of("model", "all-minilm-l6-v2", "input", List.of(longText, longText + "a", longText + "b")))
                .post("/v1/embeddings").then().statusCode(400).header("retry-after", (String) null)
                .body("error.param", equalTo("input"))
                .body("error.message", containsString("768 tokens, more than key tokens-"));
    }

    @Test
    void budgetStopsAtTheRequestThatWouldExceedIt() {
        // 4 tokens ([CLS] hello world [SEP]) at 0.001 USD: 0.004 a request against 0.01 a month.
        Response first = Embeddings.postUncached(KeysProfile.BUDGET, body("priced-minilm", "hello world"));
        first.then().statusCode(200).header("x-gateway-cost-usd", "0.004");
        Embeddings.postUncached(KeysProfile.BUDGET, body("priced-minilm", "hello there")).then().statusCode(200);
        Embeddings.postUncached(KeysProfile.BUDGET, body("priced-minilm", "hello again")).then().statusCode(429)
                .body("error.code", equalTo("insufficient_quota")).body("error.type", equalTo("insufficient_quota"));
        // A free model costs nothing, so the same key may still use it.
        Embeddings.postUncached(KeysProfile.BUDGET, body("all-minilm-l6-v2", "hello again")).then().statusCode(200);
        String spent = given().header("Authorization", "Bearer " + KeysProfile.BUDGET).get("/v1/usage?group_by=key")
                .jsonPath().getString("data[0].cost_usd");
        assertThat(new BigDecimal(spent)).isEqualByComparingTo("0.008");
    }

    @Test
    void adminCreatesListsAndDeletesKeysAndSeesEveryTeam() {
        Response created = given().header("Authorization", "Bearer " + KeysProfile.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "docs bot", "team", "docs", "rate_limit", Map.of("requests_per_minute", 5)))
                .post("/admin/keys");
        created.then().statusCode(201).body("team", equalTo("docs")).body("rate_limit.requests_per_minute", equalTo(5));
        String key = created.jsonPath().getString("key");
        String id = created.jsonPath().getString("id");

        Embeddings.postUncached(key, body("all-minilm-l6-v2", "from the docs team")).then().statusCode(200)
                .header("x-ratelimit-limit-requests", "5");
        Embeddings.postUncached(KeysProfile.ZH_ONLY, body("bge-small-zh-v1.5-q", "搜索")).then().statusCode(200);

        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).get("/admin/keys").then().statusCode(200)
                .body("data.id", hasItem(id)).body(not(org.hamcrest.Matchers.containsString(key)));
        // A team sees its own usage only; the admin sees all.
        given().header("Authorization", "Bearer " + key).get("/v1/usage?group_by=team").then().statusCode(200)
                .body("data.team", everyItem(equalTo("docs")));
        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).get("/v1/usage?group_by=team").then()
                .body("data.team", hasItem("docs")).body("data.team", hasItem("china"));

        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).delete("/admin/keys/" + id).then().statusCode(200);
        Embeddings.postUncached(key, body("all-minilm-l6-v2", "after deletion")).then().statusCode(401);
        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).delete("/admin/keys/" + id).then().statusCode(404);
    }

    @Test
    void adminEndpointsTakeTheAdminKeyOnly() {
        given().get("/admin/keys").then().statusCode(401);
        given().header("Authorization", "Bearer " + KeysProfile.SEARCH).get("/admin/keys").then().statusCode(403)
                .body("error.code", equalTo("admin_key_required"));
        given().header("Authorization", "Bearer " + KeysProfile.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "no team")).post("/admin/keys").then().statusCode(400).body("error.param", equalTo("team"));
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + KeysProfile.ADMIN).contentType(ContentType.JSON);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyFieldsBeyondTheirLimits")
    void keyFieldsBeyondTheGatewaysLimitsAre400sNamingTheFieldAndNothingIsStored(String what, Map<String, Object> key,
                                                                                  String param) {
        Map<String, Object> sent = new HashMap<>(Map.of("name", "bounded " + KeysProfile.RUN, "team", "bounded"));
        sent.putAll(key);
        admin().body(sent).post("/admin/keys").then().statusCode(400).header("retry-after", nullValue())
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo(param))
                .body("error.message", notNullValue());
        admin().get("/admin/keys").then().statusCode(200).body("data.name", not(hasItem("bounded " + KeysProfile.RUN)));
    }

    static Stream<Arguments> keyFieldsBeyondTheirLimits() {
        return Stream.of(
                Arguments.of("a name of 129 characters", Map.of("name", "n".repeat(129)), "name"),
                Arguments.of("a team of 129 characters", Map.of("team", "t".repeat(129)), "team"),
                Arguments.of("a name holding U+0000", Map.of("name", "nul\u0000name"), "name"),
                Arguments.of("a budget of 1e13", Map.of("budget", Map.of("monthly_usd", new BigDecimal("1e13"))),
                        "budget.monthly_usd"),
                Arguments.of("a budget finer than 12 decimals", Map.of("budget", Map.of("monthly_usd",
                        new BigDecimal("0.0000000000001"))), "budget.monthly_usd"),
                Arguments.of("a request limit above the bucket's refill",
                        Map.of("rate_limit", Map.of("requests_per_minute", 70_000_000_000L)), "rate_limit.requests_per_minute"),
                Arguments.of("a token limit above the bucket's refill",
                        Map.of("rate_limit", Map.of("tokens_per_minute", Long.MAX_VALUE)), "rate_limit.tokens_per_minute"),
                Arguments.of("a model the gateway does not serve", Map.of("models", List.of("all-minilm-l6-v2,no-such")),
                        "models"),
                Arguments.of("a model that is not a name", Map.of("models", List.of(7)), "models"));
    }

    @Test
    void keyFieldsAtTheGatewaysLimitsAreStoredAsSentAndServe() {
        String name = "n".repeat(127) + "\u0001";
        String team = "t".repeat(128);
        Response created = admin().body(Map.of("name", name, "team", team, "models", List.of("all-minilm-l6-v2"),
                        "rate_limit", Map.of("requests_per_minute", 10_000_000_000L, "tokens_per_minute", 10_000_000_000L),
                        "budget", Map.of("monthly_usd", new BigDecimal("1000000000"))))
                .post("/admin/keys");
        created.then().statusCode(201).body("name", equalTo(name)).body("team", equalTo(team))
                .body("models", contains("all-minilm-l6-v2")).body("budget.monthly_usd", equalTo("1000000000"));
        String id = created.jsonPath().getString("id");
        Embeddings.postUncached(created.jsonPath().getString("key"), body("all-minilm-l6-v2", "at the limits")).then()
                .statusCode(200).header("x-ratelimit-limit-requests", "10000000000");
        admin().get("/admin/keys").then().body("data.find { it.id == '" + id + "' }.name", equalTo(name))
                .body("data.find { it.id == '" + id + "' }.models", contains("all-minilm-l6-v2"));
        admin().delete("/admin/keys/" + id).then().statusCode(200);
    }

    @Test
    void aKeysModelListIsStoredAsAListAndAnEmptyOneAllowsNoModel() {
        Response created = admin().body(Map.of("name", "no models", "team", "none", "models", List.of())).post("/admin/keys");
        created.then().statusCode(201).body("models", empty());
        String id = created.jsonPath().getString("id");
        admin().get("/admin/keys").then().body("data.find { it.id == '" + id + "' }.models", empty());
        Embeddings.postUncached(created.jsonPath().getString("key"), body("all-minilm-l6-v2", "no model allowed")).then()
                .statusCode(404).body("error.code", equalTo("model_not_found"));
        admin().body(Map.of("models", List.of("all-minilm-l6-v2", "bge-small-zh-v1.5-q"))).patch("/admin/keys/" + id).then()
                .statusCode(200).body("models", containsInAnyOrder("all-minilm-l6-v2", "bge-small-zh-v1.5-q"));
        admin().body(Map.of("models", List.of("nope"))).patch("/admin/keys/" + id).then().statusCode(400)
                .body("error.param", equalTo("models")).body("error.message", containsString("'nope'"));
        admin().delete("/admin/keys/" + id).then().statusCode(200);
    }

    @Test
    void aCsvOfUsageNeverHandsASpreadsheetAFormula() {
        String team = "=cmd|' /C calc'!A0 " + KeysProfile.RUN;
        Response created = admin().body(Map.of("name", "csv injection", "team", team)).post("/admin/keys");
        String id = created.jsonPath().getString("id");
        try {
            Embeddings.postUncached(created.jsonPath().getString("key"), body("all-minilm-l6-v2", "a formula")).then()
                    .statusCode(200);
            String csv = Eventually.within(Duration.ofSeconds(10)).until(() -> admin()
                    .get("/v1/usage?group_by=team,key&format=csv").then().statusCode(200).extract().asString(),
                    text -> text.contains(KeysProfile.RUN + ","));
            assertThat(csv).contains("'" + team + "," + id + ",");
            assertThat(csv.lines()).noneMatch(line -> line.startsWith("=") || line.contains(",=") || line.contains(",+")
                    || line.contains(",@") || line.startsWith("\"="));
        } finally {
            admin().delete("/admin/keys/" + id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=abc", "limit=-1", "limit=0", "limit=99999999999", "limit=1.5"})
    void theAuditTrailsLimitIsA400NamingIt(String query) {
        admin().get("/admin/audit?" + query).then().statusCode(400).body("error.param", equalTo("limit"))
                .body("error.type", equalTo("invalid_request_error"));
    }
}
