package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica stopped with SIGTERM while a slow upstream call is in flight: that request is answered, a new
 * one gets 503 in OpenAI's shape, the process exits cleanly, and the ledger (read after a restart) holds the
 * answered request.
 */
class GracefulShutdownIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "text-embedding-3-small";

    @Test
    void inFlightFinishesNewOnesAre503AndTheLedgerKeepsIt() throws Exception {
        Path workDir = Files.createTempDirectory("graceful");
        try (FakeOpenAi upstream = new FakeOpenAi()) {
            Map<String, String> config = Map.of(
                    "gateway.providers.upstream.type", "openai",
                    "gateway.providers.upstream.base-url", upstream.baseUrl(),
                    "gateway.providers.upstream.api-key", "sk-upstream-secret",
                    "gateway.models.\"" + MODEL + "\".providers", "upstream");
            GatewayProcess gateway = GatewayProcess.start(config, workDir);
            // Two open keep-alive connections, as a load balancer holds them: one carries the slow request, the
            // other the request sent while stopping (a new connection may find the port already closed).
            CompletableFuture<HttpResponse<String>> warm1 = HTTP.sendAsync(embed(gateway, "warm 1"), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> warm2 = HTTP.sendAsync(embed(gateway, "warm 2"), HttpResponse.BodyHandlers.ofString());
            long warmTokens = promptTokens(warm1.get(30, TimeUnit.SECONDS)) + promptTokens(warm2.get(30, TimeUnit.SECONDS));
            upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS)
                    .willReturn(aResponse().withTransformers(FakeOpenAi.ANSWER).withFixedDelay(3000)));
            int callsBefore = upstream.calls();
            CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(embed(gateway, "in flight at the stop"),
                    HttpResponse.BodyHandlers.ofString());
            awaitUpstreamCall(upstream, callsBefore + 1);

            CompletableFuture<Integer> exit = gateway.terminate();
            Thread.sleep(300);
            // Readiness turns false at once, so load balancers stop sending here.
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/health/ready"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).at("/checks/0/data/draining").asBoolean()).isTrue();
            HttpResponse<String> refused = HTTP.send(embed(gateway, "sent while stopping"), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("shutting_down");

            HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            long promptTokens = promptTokens(answered);
            assertThat(exit.get(30, TimeUnit.SECONDS)).isIn(0, 143);
            assertThat(gateway.log()).doesNotContain("sk-upstream-secret");

            upstream.answerEmbeddings();
            try (GatewayProcess restarted = GatewayProcess.start(config, workDir)) {
                JsonNode rows = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(restarted.url("/v1/usage?group_by=model"))).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).get("data");
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).get("model").asText()).isEqualTo(MODEL);
                // The two warm-up requests and the one in flight at the stop.
                assertThat(rows.get(0).get("requests").asLong()).isEqualTo(3);
                assertThat(rows.get(0).get("input_tokens").asLong()).isEqualTo(promptTokens + warmTokens);
            }
        }
    }

    private static long promptTokens(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body()).at("/usage/prompt_tokens").asLong();
    }

    private static void awaitUpstreamCall(FakeOpenAi upstream, int calls) throws InterruptedException {
        for (int i = 0; i < 100 && upstream.calls() < calls; i++) {
            Thread.sleep(50);
        }
        assertThat(upstream.calls()).isEqualTo(calls);
    }

    private static HttpRequest embed(GatewayProcess gateway, String text) throws Exception {
        return HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings"))).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("model", MODEL, "input", text)))).build();
    }
}
