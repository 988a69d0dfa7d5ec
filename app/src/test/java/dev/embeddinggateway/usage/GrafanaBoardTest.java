package dev.embeddinggateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.auth.KeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the Grafana board in docker/grafana queries exists in /q/metrics once the gateway has served what
 * the board shows (requests, a cache hit, a provider failure, a key's 429), so no panel stays empty because of a
 * misspelled or vanished meter.
 */
@QuarkusTest
@Tag("slow") // its own application, with the Redis cache, for one test
@TestProfile(GrafanaBoardTest.WithRedisCache.class)
class GrafanaBoardTest {
    private static final Path BOARD = Path.of("../docker/grafana/dashboards/embedding-gateway.json");
    private static final Pattern METRIC = Pattern.compile("\\b(gateway_[a-z_]+|http_server_requests_seconds_[a-z]+)\\b");

    /** The keys profile with the shared (Redis) cache, whose error meters the board shows too. */
    public static class WithRedisCache extends KeysProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("gateway.cache.backend", "redis");
            config.put("quarkus.redis.hosts", "redis://127.0.0.1:6379");
            return config;
        }
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    @Test
    void everyMetricTheBoardQueriesIsServed() throws IOException {
        Set<String> queried = queriedMetrics(new ObjectMapper().readTree(BOARD.toFile()));
        assertThat(queried).as("the board's metrics").hasSizeGreaterThan(10);

        String text = "the board's traffic " + System.nanoTime();
        as(KeysProfile.ADMIN).body(Map.of("model", "all-minilm-l6-v2", "input", text)).post("/v1/embeddings").then().statusCode(200);
        as(KeysProfile.ADMIN).body(Map.of("model", "all-minilm-l6-v2", "input", text)).post("/v1/embeddings").then().statusCode(200);
        as(KeysProfile.ADMIN).body(Map.of("model", "plugin-with-fallback", "input", "a failing provider first " + text))
                .post("/v1/embeddings").then().statusCode(200);
        var limited = as(KeysProfile.ADMIN).body(Map.of("name", "board", "team", "board",
                "rate_limit", Map.of("requests_per_minute", 1))).post("/admin/keys").then().statusCode(201).extract();
        try {
            as(limited.path("key")).body(Map.of("input", "one")).post("/v1/embeddings").then().statusCode(200);
            as(limited.path("key")).body(Map.of("input", "two")).post("/v1/embeddings").then().statusCode(429);
        } finally {
            // Stored keys outlive this profile: the tests' gateway without keys must stay open.
            as(KeysProfile.ADMIN).delete("/admin/keys/" + limited.path("id")).then().statusCode(200);
        }

        String metrics = given().header("Authorization", "Bearer " + KeysProfile.ADMIN).get("/q/metrics").then()
                .statusCode(200).extract().asString();
        Set<String> served = new TreeSet<>();
        metrics.lines().filter(l -> !l.startsWith("#")).forEach(l -> served.add(l.split("[{ ]", 2)[0]));
        assertThat(served).as("metrics in /q/metrics").containsAll(queried);
    }

    private static Set<String> queriedMetrics(JsonNode board) {
        Set<String> names = new TreeSet<>();
        for (JsonNode target : board.findValues("targets")) {
            for (JsonNode query : target) {
                Matcher m = METRIC.matcher(query.path("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
