package dev.embeddinggateway.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/**
 * The README's build option {@code -Dquarkus.management.enabled=true}: health and metrics move to their own
 * port, and the API port no longer serves them.
 */
@QuarkusTest
@Tag("slow") // its own application, on a management port, for one test
@TestProfile(ManagementPortTest.ManagementPort.class)
class ManagementPortTest {
    static final int PORT = 9471;

    public static class ManagementPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.enabled", "true", "quarkus.management.test-port", Integer.toString(PORT));
        }
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortOnly() {
        given().port(PORT).get("/q/health/live").then().statusCode(200);
        given().port(PORT).get("/q/metrics").then().statusCode(200).body(containsString("gateway_"));
        given().get("/q/metrics").then().statusCode(404);
        given().get("/v1/models").then().statusCode(200);
    }
}
