package dev.embeddinggateway.routing;

import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing strategies over two accounts of one embedding space (the fake OpenAI upstreams A and B), with bursts
 * of concurrent requests: how they spread, and that each still fails over.
 */
@QuarkusTest
@QuarkusTestResource(FakeOpenAiUpstreams.class)
class LoadBalancingTest {

    @AfterEach
    void upstreamsRecover() {
        FakeOpenAiUpstreams.answerNormally();
    }

    /** {@code count} requests at once (20 clients), each a new text past the cache: which provider served each. */
    private static Map<String, Long> burst(String model, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(clients.submit(() -> given().header("cache-control", "no-store").contentType(ContentType.JSON)
                        .body(Map.of("model", model, "input", "text " + UUID.randomUUID())).post("/v1/embeddings")));
            }
            List<String> servedBy = new ArrayList<>();
            for (Future<Response> call : calls) {
                Response response = call.get();
                assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(200);
                servedBy.add(response.getHeader("x-gateway-provider"));
            }
            Map<String, Long> counts = servedBy.stream().collect(Collectors.groupingBy(p -> p, Collectors.counting()));
            System.out.printf("%s, %d requests at once: %s%n", model, count, counts);
            return counts;
        } finally {
            clients.shutdown();
        }
    }

    private static void slowDown(FakeOpenAi upstream, int millis) {
        upstream.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withFixedDelay(millis)
                .withTransformers(FakeOpenAi.ANSWER)));
    }

    @Test
    @Tag("slow") // load: a burst of 200 requests
    void roundRobinSplitsEvenly() throws Exception {
        Map<String, Long> counts = burst("spread-round-robin", 200);
        assertThat(counts.get("openai-a")).isBetween(90L, 110L);
        assertThat(counts.get("openai-b")).isBetween(90L, 110L);
    }

    @Test
    @Tag("slow") // load: a burst of 200 requests
    void weightedSplitsThreeToOne() throws Exception {
        Map<String, Long> counts = burst("spread-weighted", 200);
        assertThat(counts.get("openai-a")).isBetween(135L, 165L);
        assertThat(counts.get("openai-b")).isBetween(35L, 65L);
    }

    @Test
    @Tag("slow") // load: 60 requests at once against a slowed upstream
    void leastBusySendsToTheIdleOneWhileTheOtherIsSlow() throws Exception {
        slowDown(FakeOpenAiUpstreams.A, 1500);
        Map<String, Long> counts = burst("spread-least-busy", 60);
        // A holds at most one call at a time while B answers at once: B takes nearly all.
        assertThat(counts.getOrDefault("openai-a", 0L)).isLessThanOrEqualTo(20L);
        assertThat(counts.get("openai-b")).isGreaterThanOrEqualTo(40L);
    }

    @Test
    @Tag("slow") // load: bursts of 40 and 100 requests, timing-sensitive
    void latencyPrefersTheFasterAndStillLooksAtTheOther() throws Exception {
        slowDown(FakeOpenAiUpstreams.A, 500);
        burst("spread-latency", 40); // both measured
        Map<String, Long> counts = burst("spread-latency", 100);
        assertThat(counts.get("openai-b")).isGreaterThanOrEqualTo(75L);
        assertThat(counts.getOrDefault("openai-a", 0L)).isGreaterThan(0L);
    }

    @Test
    void aProviderAtItsOwnRateLimitIsSkipped() throws Exception {
        // openai-quota-2 takes 2 requests a minute: round-robin gives it its turns, and the rest go on to openai-a.
        Map<String, Long> counts = burst("spread-with-quota", 40);
        assertThat(counts.getOrDefault("openai-quota-2", 0L)).isLessThanOrEqualTo(2L);
        assertThat(counts.get("openai-a")).isGreaterThanOrEqualTo(38L);
    }

    @Test
    @Tag("slow") // load: four bursts of 40 requests
    void everyStrategyFailsOverWhenAProviderFails() throws Exception {
        FakeOpenAiUpstreams.A.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(500)));
        for (String model : List.of("spread-round-robin", "spread-weighted", "spread-least-busy", "spread-latency")) {
            assertThat(burst(model, 40)).as(model).containsOnlyKeys("openai-b");
        }
    }
}
