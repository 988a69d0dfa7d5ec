package dev.embeddinggateway.it;

import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstreams down while the gateway starts never keep it from starting (no crash loop): a model with a provider up
 * is served by it at once; a model whose only provider is down answers 503 until the provider answers, then is
 * served, its dimensions learned then.
 */
class UpstreamDownAtStartIT {

    @Test
    void theGatewayStartsAndServesAsItsUpstreamsComeUp() throws Exception {
        try (FakeOpenAi down = new FakeOpenAi(); FakeOpenAi up = new FakeOpenAi()) {
            down.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(503)));
            Map<String, String> config = Map.of(
                    "gateway.providers.down.type", "openai", "gateway.providers.down.base-url", down.baseUrl(),
                    "gateway.providers.down.max-retries", "0",
                    "gateway.providers.up.type", "openai", "gateway.providers.up.base-url", up.baseUrl(),
                    "gateway.models.\"nomic\".providers", "down,up",
                    "gateway.models.\"nomic\".upstream-model", "nomic-embed-text",
                    "gateway.models.\"alone\".providers", "down",
                    "gateway.models.\"alone\".upstream-model", "nomic-embed-text");
            try (GatewayProcess gateway = GatewayProcess.start(config)) {
                GatewayClient client = new GatewayClient(gateway);
                GatewayClient.Answer served = client.embed("nomic", "hello");
                assertThat(served.status()).isEqualTo(200);
                assertThat(served.header("x-gateway-provider")).contains("up");

                GatewayClient.Answer waiting = client.embed("alone", "hello");
                assertThat(waiting.status()).isEqualTo(503);
                assertThat(waiting.body()).contains("model_unavailable");
                assertThat(waiting.header("retry-after")).isPresent();

                down.answerEmbeddings();
                GatewayClient.Answer learned = client.embed("alone", "hello");
                assertThat(learned.status()).isEqualTo(200);
                assertThat(learned.body()).contains("\"model\":\"alone\"");
                assertThat(gateway.log()).contains("did not answer");
            }
        }
    }
}
