package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged gateway in front of an OpenAI-compatible upstream that misbehaves in each way it can: too
 * slow, connection resets, a burst of 500s, a storm of 429s, malformed JSON. During each fault every client
 * gets its documented answer in OpenAI's shape, quickly; afterwards the same gateway serves normally, no
 * thread is left inside a request, the ledger holds exactly what the answered clients were told, and the
 * upstream's key is in no answer, log line or meter.
 */
@Slow // bursts against upstreams made slow, broken and refusing
class UpstreamFaultsIT {
    private static final String MODEL = "text-embedding-3-small";
    private static final int CONCURRENT = 16;

    private record Told(long requests, long tokens, BigDecimal cost) {
        Told plus(Told o) {
            return new Told(requests + o.requests, tokens + o.tokens, cost.add(o.cost));
        }
    }

    @Test
    void everyFaultIsAnsweredAndLeavesNothingBehind() throws Exception {
        Map<String, ResponseDefinitionBuilder> faults = new LinkedHashMap<>();
        faults.put("slow past the timeout", aResponse().withTransformers(FakeOpenAi.ANSWER).withFixedDelay(3_000));
        faults.put("connection resets", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        faults.put("500 burst", aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"boom\"}}"));
        faults.put("429 storm", aResponse().withStatus(429).withHeader("retry-after", "0")
                .withBody("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}"));
        faults.put("malformed JSON", aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("{\"data\": [{\"embedding\": [0.1, "));
        Map<String, Integer> expected = Map.of("slow past the timeout", 504, "connection resets", 502, "500 burst", 502,
                "429 storm", 429, "malformed JSON", 502);

        try (FakeOpenAi upstream = new FakeOpenAi(); GatewayProcess gateway = GatewayProcess.start(Map.of(
                "gateway.providers.up.type", "openai",
                "gateway.providers.up.base-url", upstream.baseUrl(),
                "gateway.providers.up.api-key", "sk-upstream-secret",
                "gateway.providers.up.timeout", "1s",
                "gateway.providers.up.max-retries", "1",
                // Each fault on its own: no circuit breaker between them.
                "gateway.circuit-breaker.failure-threshold", "1000000",
                "gateway.models.\"" + MODEL + "\".providers", "up"))) {
            Told told = new Told(0, 0, BigDecimal.ZERO);
            int round = 0;
            for (var fault : faults.entrySet()) {
                upstream.server().resetAll();
                upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(fault.getValue()));
                for (GatewayClient.Answer answer : burst(gateway, fault.getKey() + " " + round)) {
                    assertThat(answer.status()).as(fault.getKey() + ": " + answer.body()).isEqualTo(expected.get(fault.getKey()));
                    assertThat(answer.at("/error/message").asText()).as(fault.getKey())
                            .contains("up").doesNotContain("sk-upstream-secret");
                }
                upstream.answerEmbeddings();
                for (GatewayClient.Answer answer : burst(gateway, "after " + fault.getKey() + " " + round)) {
                    assertThat(answer.status()).as("after " + fault.getKey()).isEqualTo(200);
                    told = told.plus(told(answer));
                }
                round++;
            }
            System.out.printf("upstream faults: %d kinds, %d failed and %d answered requests%n",
                    faults.size(), faults.size() * CONCURRENT, told.requests());

            assertThat(requestThreads(gateway)).as("threads still inside a request").isEmpty();
            JsonNode row = new GatewayClient(gateway).get("/v1/usage?group_by=model").at("/data/0");
            assertThat(row.get("requests").asLong()).isEqualTo(told.requests());
            assertThat(row.get("input_tokens").asLong()).isEqualTo(told.tokens());
            assertThat(new BigDecimal(row.get("cost_usd").asText())).isEqualByComparingTo(told.cost());
            assertThat(gateway.log()).doesNotContain("sk-upstream-secret");
            assertThat(new GatewayClient(gateway).get("/q/metrics").body()).contains("gateway_provider_failures_total")
                    .doesNotContain("sk-upstream-secret");
        }
    }

    /** Threads whose stack is inside the gateway's request handling or the OpenAI provider. */
    private static List<String> requestThreads(GatewayProcess gateway) throws Exception {
        List<String> inside = new ArrayList<>();
        for (String thread : gateway.threadDump().split("\n\n")) {
            if (thread.contains("dev.embeddinggateway.api.") || thread.contains("dev.embeddinggateway.provider.openai.")) {
                inside.add(thread);
            }
        }
        return inside;
    }

    private static Told told(GatewayClient.Answer answer) {
        return new Told(1, answer.at("/usage/prompt_tokens").asLong(),
                new BigDecimal(answer.header("x-gateway-cost-usd").orElseThrow()));
    }

    /** Concurrent requests of distinct texts (no cache hits), each answered within 20 s. */
    private static List<GatewayClient.Answer> burst(GatewayProcess gateway, String tag) throws Exception {
        GatewayClient client = new GatewayClient(gateway).withTimeout(Duration.ofSeconds(20));
        List<CompletableFuture<GatewayClient.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            calls.add(client.embedAsync(MODEL, List.of(tag + " text " + i, "and " + i)));
        }
        List<GatewayClient.Answer> answers = new ArrayList<>();
        for (CompletableFuture<GatewayClient.Answer> call : calls) {
            answers.add(call.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }
}
