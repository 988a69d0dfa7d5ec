package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica stopped with SIGTERM while a slow upstream call is in flight: that request is answered, a new
 * one gets 503 in OpenAI's shape, the process exits cleanly, and the ledger (read after a restart) holds the
 * answered request.
 */
class GracefulShutdownIT {
    private static final String MODEL = "text-embedding-3-small";

    @Test
    void inFlightFinishesNewOnesAre503AndTheLedgerKeepsIt() throws Exception {
        Path workDir = Files.createTempDirectory("graceful");
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            Map<String, String> config = UpstreamSettings.openAi(upstream, MODEL);
            GatewayProcess gateway = GatewayProcess.start(config, workDir);
            GatewayClient client = new GatewayClient(gateway);
            // Two open keep-alive connections, as a load balancer holds them: one carries the slow request, the
            // other the request sent while stopping (a new connection may find the port already closed).
            CompletableFuture<GatewayClient.Answer> warm1 = client.embedAsync(MODEL, "warm 1");
            CompletableFuture<GatewayClient.Answer> warm2 = client.embedAsync(MODEL, "warm 2");
            long warmTokens = promptTokens(warm1.get(30, TimeUnit.SECONDS)) + promptTokens(warm2.get(30, TimeUnit.SECONDS));
            upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS)
                    .willReturn(aResponse().withTransformers(FakeOpenAi.ANSWER).withFixedDelay(3000)));
            int callsBefore = upstream.calls();
            CompletableFuture<GatewayClient.Answer> inFlight = client.embedAsync(MODEL, "in flight at the stop");
            awaitUpstreamCall(upstream, callsBefore + 1);

            CompletableFuture<Integer> exit = gateway.terminate();
            Thread.sleep(300);
            // Readiness turns false at once, so load balancers stop sending here.
            GatewayClient.Answer ready = client.get("/q/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.at("/checks/0/data/draining").asBoolean()).isTrue();
            GatewayClient.Answer refused = client.embed(MODEL, "sent while stopping");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.at("/error/code").asText()).isEqualTo("shutting_down");

            GatewayClient.Answer answered = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answered.status()).isEqualTo(200);
            long promptTokens = promptTokens(answered);
            assertThat(exit.get(30, TimeUnit.SECONDS)).isIn(0, 143);
            assertThat(gateway.log()).doesNotContain("sk-upstream-secret");

            upstream.answerEmbeddings();
            try (GatewayProcess restarted = GatewayProcess.start(config, workDir)) {
                JsonNode rows = new GatewayClient(restarted).get("/v1/usage?group_by=model").json().get("data");
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).get("model").asText()).isEqualTo(MODEL);
                // The two warm-up requests and the one in flight at the stop.
                assertThat(rows.get(0).get("requests").asLong()).isEqualTo(3);
                assertThat(rows.get(0).get("input_tokens").asLong()).isEqualTo(promptTokens + warmTokens);
            }
        }
    }

    private static long promptTokens(GatewayClient.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        return answer.at("/usage/prompt_tokens").asLong();
    }

    private static void awaitUpstreamCall(FakeOpenAi upstream, int calls) {
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> upstream.calls() >= calls);
        assertThat(upstream.calls()).isEqualTo(calls);
    }
}
