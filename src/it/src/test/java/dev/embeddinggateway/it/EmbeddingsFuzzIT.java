package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated request bodies ({@link FuzzBodies}) against the packaged gateway. Whatever comes, the answer is never a
 * 5xx, every error is OpenAI's error shape, and the gateway serves afterwards. The seed is printed; set
 * {@code -Dfuzz.seed} to replay a run.
 */
@Slow
class EmbeddingsFuzzIT {
    private static final int BODIES = 10_000;
    private static GatewayProcess gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() throws Exception {
        // Small batches and a cache that cannot grow: the point is the parser and the error paths.
        gateway = GatewayProcess.start(Map.of("gateway.cache.max-entries", "1000"));
        client = new GatewayClient(gateway);
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
            GatewayClient.Answer response = client.post("/v1/embeddings", body);
            assertThat(response.status()).as(sent).isLessThan(500);
            if (response.status() >= 400) {
                JsonNode error = response.json().get("error");
                assertThat(error).as(sent).isNotNull();
                assertThat(error.get("message").isTextual()).as(sent).isTrue();
                assertThat(error.get("type").isTextual()).as(sent).isTrue();
            } else {
                assertThat(response.json().get("object").asText()).as(sent).isEqualTo("list");
            }
        }
        assertThat(client.post("/v1/embeddings", FuzzBodies.bytes("{\"input\":\"still serving\"}")).status())
                .isEqualTo(200);
        assertThat(client.get("/q/health/ready").status()).isEqualTo(200);
        assertThat(gateway.log()).doesNotContain("Exception").doesNotContain("ERROR");
    }
}
