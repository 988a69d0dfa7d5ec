package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated request bodies ({@link FuzzBodies}) against the packaged gateway. Whatever comes, the answer is never a
 * 5xx, every error is OpenAI's error shape, and the gateway serves afterwards. The seed is printed; set
 * {@code -Dfuzz.seed} to replay a run.
 */
class EmbeddingsFuzzIT {
    private static final int BODIES = 10_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        // Small batches and a cache that cannot grow: the point is the parser and the error paths.
        gateway = GatewayProcess.start(Map.of("gateway.cache.max-entries", "1000"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @Test
    void neverA5xxAlwaysOpenAiErrorsAndServingAfterwards() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.printf("fuzz: %d generated bodies, seed %d (replay: -Dfuzz.seed=%d)%n", BODIES, seed, seed);
        FuzzBodies bodies = new FuzzBodies(seed);
        for (int i = 0; i < BODIES; i++) {
            byte[] body = bodies.next();
            String sent = "body " + i + " of seed " + seed + ": " + new String(body, StandardCharsets.UTF_8);
            HttpResponse<String> response = post(body);
            assertThat(response.statusCode()).as(sent).isLessThan(500);
            if (response.statusCode() >= 400) {
                JsonNode error = JSON.readTree(response.body()).get("error");
                assertThat(error).as(sent).isNotNull();
                assertThat(error.get("message").isTextual()).as(sent).isTrue();
                assertThat(error.get("type").isTextual()).as(sent).isTrue();
            } else {
                assertThat(JSON.readTree(response.body()).get("object").asText()).as(sent).isEqualTo("list");
            }
        }
        assertThat(post(FuzzBodies.bytes("{\"input\":\"still serving\"}")).statusCode()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/health/ready"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(gateway.log()).doesNotContain("Exception").doesNotContain("ERROR");
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings")))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
