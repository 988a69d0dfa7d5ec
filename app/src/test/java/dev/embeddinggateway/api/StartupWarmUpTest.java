package dev.embeddinggateway.api;

import dev.embeddinggateway.testing.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica warms its request path with requests to itself before it reports ready; those requests are nobody's
 * usage, and no client can pass for them.
 */
@QuarkusTest
class StartupWarmUpTest {

    @Test
    void readyOnlyOnceWarmedUpAndTheWarmUpIsNobodysUsage() {
        String ready = Eventually.within(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").asString(), health -> health.contains("\"UP\""));
        assertThat(ready).contains("\"status\": \"UP\"").contains("\"warmed-up\": true");
        assertThat(given().get("/q/metrics").asString()).doesNotContain("warm-up");

        // Someone who guesses at the warm-up's header is served and counted like anyone else.
        String text = "a guess at the warm-up header " + System.nanoTime();
        given().header("x-gateway-warm-up", "0".repeat(64)).contentType(ContentType.JSON)
                .body("{\"model\":\"plugin-model\",\"input\":\"" + text + "\"}").post("/v1/embeddings")
                .then().statusCode(200);
        // The ledger is written once a second.
        List<String> teams = Eventually.within(Duration.ofSeconds(10))
                .until(() -> given().get("/v1/usage?group_by=team,model").jsonPath()
                        .<String>getList("data.findAll { it.model == 'plugin-model' }.team"),
                        listed -> listed.contains("anonymous"));
        assertThat(teams).contains("anonymous").doesNotContain("warm-up");
        assertThat(given().get("/v1/usage?group_by=team").jsonPath().getList("data.team", String.class)).doesNotContain("warm-up");
    }
}
