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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway whose openai provider points at a second gateway (local model): the first serves the second's
 * vectors exactly, falls back from a dead upstream to the live one, and fails cleanly when all are down,
 * without ever showing its upstream key.
 */
class GatewayToGatewayIT {
    private static final String UPSTREAM_KEY = "sk-upstream-secret-4711";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GatewayProcess upstream;
    private static GatewayProcess front;

    @BeforeAll
    static void start() throws Exception {
        upstream = GatewayProcess.start(Map.of());
        String dead = "http://127.0.0.1:9/v1"; // the discard port: nothing answers there
        front = GatewayProcess.start(Map.ofEntries(
                Map.entry("gateway.providers.dead.type", "openai"),
                Map.entry("gateway.providers.dead.base-url", dead),
                Map.entry("gateway.providers.dead.api-key", UPSTREAM_KEY),
                Map.entry("gateway.providers.dead.max-retries", "0"),
                Map.entry("gateway.providers.live.type", "openai"),
                Map.entry("gateway.providers.live.base-url", upstream.url("/v1")),
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
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        upstream.close();
    }

    private static HttpResponse<String> embed(GatewayProcess gateway, String model, String input) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", model, "input", input));
        // Past the cache: these tests are about the providers.
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings")))
                .header("content-type", "application/json").header("cache-control", "no-store").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void vectorsAreIdenticalToAskingTheUpstreamDirectly() throws Exception {
        String text = "Embeddings map text to dense vectors so that similar meanings end up close together.";
        JsonNode direct = JSON.readTree(embed(upstream, "all-minilm-l6-v2", text).body());
        HttpResponse<String> viaFront = embed(front, "minilm-remote", text);
        assertThat(viaFront.statusCode()).isEqualTo(200);
        assertThat(viaFront.headers().firstValue("x-gateway-provider")).contains("live");
        JsonNode relayed = JSON.readTree(viaFront.body());
        assertThat(relayed.at("/data/0/embedding")).isEqualTo(direct.at("/data/0/embedding"));
        assertThat(relayed.at("/usage/prompt_tokens")).isEqualTo(direct.at("/usage/prompt_tokens"));
        assertThat(relayed.at("/model").asText()).isEqualTo("minilm-remote");
    }

    @Test
    void deadProviderFallsBackToTheLiveOne() throws Exception {
        HttpResponse<String> response = embed(front, "minilm-fallback", "hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-gateway-provider")).contains("live");
    }

    @Test
    void allDownIsACleanBadGatewayWithNoKeyAnywhere() throws Exception {
        HttpResponse<String> response = embed(front, "minilm-down", "hello");
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("upstream_error");
        assertThat(error.get("message").asText()).contains("provider dead");
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY);
        assertThat(front.log()).contains("provider dead").doesNotContain(UPSTREAM_KEY);
    }
}
