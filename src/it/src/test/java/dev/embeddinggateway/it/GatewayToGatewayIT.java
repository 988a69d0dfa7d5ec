package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway whose openai provider points at a second gateway (local model; the shared one, of no configuration):
 * the first serves the second's vectors exactly, falls back from a dead upstream to the live one, and fails cleanly
 * when all are down, without ever showing its upstream key.
 */
@ExtendWith(SharedGateway.class)
class GatewayToGatewayIT {
    private static final String UPSTREAM_KEY = "sk-upstream-secret-4711";
    private static GatewayProcess front;
    // Past the cache: these tests are about the providers.
    private static GatewayClient upstream;
    private static GatewayClient viaFront;

    @BeforeAll
    static void start(GatewayProcess shared) throws Exception {
        String dead = "http://127.0.0.1:9/v1"; // the discard port: nothing answers there
        front = GatewayProcess.start(Map.ofEntries(
                Map.entry("gateway.providers.dead.type", "openai"),
                Map.entry("gateway.providers.dead.base-url", dead),
                Map.entry("gateway.providers.dead.api-key", UPSTREAM_KEY),
                Map.entry("gateway.providers.dead.max-retries", "0"),
                Map.entry("gateway.providers.live.type", "openai"),
                Map.entry("gateway.providers.live.base-url", shared.url("/v1")),
                Map.entry("gateway.providers.live.api-key", UPSTREAM_KEY),
                Map.entry("gateway.models.minilm-remote.providers", "live"),
                Map.entry("gateway.models.minilm-remote.upstream-model", "all-minilm-l6-v2"),
                Map.entry("gateway.models.minilm-fallback.providers", "dead,live"),
                Map.entry("gateway.models.minilm-fallback.upstream-model", "all-minilm-l6-v2"),
                Map.entry("gateway.models.minilm-fallback.dimensions", "384"),
                Map.entry("gateway.models.minilm-down.providers", "dead"),
                Map.entry("gateway.models.minilm-down.upstream-model", "all-minilm-l6-v2"),
                Map.entry("gateway.models.minilm-down.dimensions", "384"),
                // The dead provider keeps the front gateway from being ready: do not wait for that.
                Map.entry("quarkus.smallrye-health.check.\"dev.embeddinggateway.routing.ProvidersReadiness\".enabled", "false")));
        upstream = new GatewayClient(shared).withHeader("cache-control", "no-store");
        viaFront = new GatewayClient(front).withHeader("cache-control", "no-store");
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
    }

    @Test
    void vectorsAreIdenticalToAskingTheUpstreamDirectly() throws Exception {
        String text = "Embeddings map text to dense vectors so that similar meanings end up close together.";
        JsonNode direct = upstream.embed("all-minilm-l6-v2", text).json();
        GatewayClient.Answer fromFront = viaFront.embed("minilm-remote", text);
        assertThat(fromFront.status()).isEqualTo(200);
        assertThat(fromFront.header("x-gateway-provider")).contains("live");
        JsonNode relayed = fromFront.json();
        assertThat(relayed.at("/data/0/embedding")).isEqualTo(direct.at("/data/0/embedding"));
        assertThat(relayed.at("/usage/prompt_tokens")).isEqualTo(direct.at("/usage/prompt_tokens"));
        assertThat(relayed.at("/model").asText()).isEqualTo("minilm-remote");
    }

    @Test
    void deadProviderFallsBackToTheLiveOne() throws Exception {
        GatewayClient.Answer response = viaFront.embed("minilm-fallback", "hello");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-gateway-provider")).contains("live");
    }

    @Test
    void allDownIsACleanBadGatewayWithNoKeyAnywhere() throws Exception {
        GatewayClient.Answer response = viaFront.embed("minilm-down", "hello");
        assertThat(response.status()).isEqualTo(502);
        JsonNode error = response.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("upstream_error");
        assertThat(error.get("message").asText()).contains("provider dead");
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY);
        assertThat(front.log()).contains("provider dead").doesNotContain(UPSTREAM_KEY);
    }
}
