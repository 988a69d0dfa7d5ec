package dev.embeddinggateway.api;

import dev.embeddinggateway.auth.KeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's view of this replica: providers' calls, errors and latency, and refusals by key and limit. */
@QuarkusTest
@TestProfile(KeysProfile.class)
class ReplicaResourceTest {
    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    @Test
    void providersErrorsLatencyAndRefusalsByKey() {
        for (int i = 0; i < 3; i++) {
            as(KeysProfile.ADMIN).body(Map.of("model", "plugin-with-fallback", "input", "replica view " + i + " " + System.nanoTime()))
                    .post("/v1/embeddings").then().statusCode(200);
        }
        ExtractableResponse<Response> key = as(KeysProfile.ADMIN).body(Map.of("name", "replica-view", "team", "replica",
                "rate_limit", Map.of("requests_per_minute", 1))).post("/admin/keys").then().statusCode(201).extract();
        try {
            as(key.path("key")).body(Map.of("input", "one")).post("/v1/embeddings").then().statusCode(200);
            as(key.path("key")).body(Map.of("input", "two")).post("/v1/embeddings").then().statusCode(429);
            as(key.path("key")).get("/admin/replica").then().statusCode(403);

            JsonPath view = as(KeysProfile.ADMIN).get("/admin/replica").then().statusCode(200).extract().jsonPath();
            Map<String, Object> broken = view.getMap("providers.find { it.provider == 'broken' }");
            assertThat(((Number) broken.get("failed")).longValue()).isGreaterThanOrEqualTo(3);
            assertThat(((Number) broken.get("error_rate")).doubleValue()).isEqualTo(1.0);
            assertThat((String) broken.get("state")).startsWith("down");
            Map<String, Object> served = view.getMap("providers.find { it.provider == 'x' }");
            assertThat(((Number) served.get("answered")).longValue()).isGreaterThanOrEqualTo(3);
            assertThat(((Number) served.get("p99_ms")).doubleValue()).isPositive();
            Map<String, Object> refused = view.getMap("rate_limited.find { it.key == '" + key.path("id") + "' }");
            assertThat(refused).containsEntry("limit", "requests").containsEntry("team", "replica");
            assertThat(((Number) refused.get("requests")).longValue()).isEqualTo(1);
        } finally {
            as(KeysProfile.ADMIN).delete("/admin/keys/" + key.path("id")).then().statusCode(200);
        }
    }
}
