package dev.embeddinggateway.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.sun.net.httpserver.HttpServer;
import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderFailedException.Reason;
import dev.embeddinggateway.core.support.Cl100k;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.fakeopenai.FakeOpenAi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.embeddinggateway.testing.TokenizeAndEmbed.tokenizeAndEmbed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The openai provider against OpenAI's API faked at the HTTP level: each success and failure case. */
class OpenAiProviderTest {
    private static final String SECRET = "sk-test-secret-never-shown";
    private static final FakeOpenAi OPENAI = new FakeOpenAi();
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stop() {
        OPENAI.close();
    }

    @BeforeEach
    void reset() {
        OPENAI.answerEmbeddings();
    }

    private static EmbeddingProvider provider(Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of("api-key", SECRET, "base-url", OPENAI.baseUrl(),
                "max-retries", "0", "timeout", "5s"));
        options.putAll(extra);
        return new OpenAiProviderFactory().create("openai", options);
    }

    private static EmbeddingResult embed(EmbeddingProvider provider, String model, int dims, LongInputPolicy policy,
                                         List<Input> inputs) {
        provider.model(model, ModelHints.NONE);
        return tokenizeAndEmbed(provider, model, inputs, dims, policy).toCompletableFuture().join();
    }

    private static EmbeddingResult embedSmall(EmbeddingProvider provider, String... texts) {
        return embed(provider, "text-embedding-3-small", 1536, LongInputPolicy.ERROR,
                List.of(texts).stream().map(t -> (Input) new Input.Text(t)).toList());
    }

    private static Throwable failure(Runnable call) {
        try {
            call.run();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    /**
     * A central gateway's throughput against a slow upstream is its concurrency: 64 callers at once must be 64
     * upstream calls at once. The upstream here answers none until 64 are in flight (the SDK's default transport
     * let 5 reach a host at once, and the old default let 8 calls out).
     */
    @Test
    void sixtyFourCallersAreSixtyFourUpstreamCallsAtOnceByDefault() throws Exception {
        int callers = 64;
        CountDownLatch allInFlight = new CountDownLatch(callers);
        HttpServer gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gate.setExecutor(Executors.newCachedThreadPool());
        gate.createContext("/v1/embeddings", exchange -> {
            String text = JSON.readTree(exchange.getRequestBody()).get("input").get(0).asText();
            allInFlight.countDown();
            boolean together = awaitQuietly(allInFlight);
            ByteBuffer vector = ByteBuffer.allocate(1536 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : FakeOpenAi.vectorOf(text, 1536)) {
                vector.putFloat(v);
            }
            byte[] body = ("{\"object\":\"list\",\"model\":\"text-embedding-3-small\",\"data\":[{\"object\":\"embedding\","
                    + "\"index\":0,\"embedding\":\"" + Base64.getEncoder().encodeToString(vector.array()) + "\"}],"
                    + "\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(together ? 200 : 500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gate.start();
        try (EmbeddingProvider provider = provider(Map.of("base-url",
                "http://127.0.0.1:" + gate.getAddress().getPort() + "/v1", "timeout", "30s"))) {
            provider.model("text-embedding-3-small", ModelHints.NONE);
            List<CompletableFuture<EmbeddingResult>> calls = IntStream.range(0, callers).mapToObj(i -> tokenizeAndEmbed(
                    provider, "text-embedding-3-small", List.of((Input) new Input.Text("caller " + i)), 1536,
                    LongInputPolicy.ERROR).toCompletableFuture()).toList();
            for (int i = 0; i < callers; i++) {
                assertThat(calls.get(i).join().embeddings().get(0).vector())
                        .containsExactly(FakeOpenAi.vectorOf("caller " + i, 1536));
            }
        } finally {
            gate.stop(0);
        }
    }

    /** Pooled keep-alive connections, one call after the other: every answer whole (a lost body was once seen). */
    @Test
    @Tag("slow") // a burst of 500 calls
    void fiveHundredCallsInARowAreEachAnsweredWhole() {
        try (EmbeddingProvider provider = provider(Map.of())) {
            for (int i = 0; i < 500; i++) {
                assertThat(embedSmall(provider, "call " + i).embeddings().get(0).vector())
                        .containsExactly(FakeOpenAi.vectorOf("call " + i, 1536));
            }
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void base64ByDefaultDecodesToTheUpstreamsVectors() {
        try (EmbeddingProvider provider = provider(Map.of())) {
            EmbeddingResult result = embedSmall(provider, "hello", "world");
            assertThat(result.embeddings().get(0).vector()).containsExactly(FakeOpenAi.vectorOf("hello", 1536));
            assertThat(result.embeddings().get(1).vector()).containsExactly(FakeOpenAi.vectorOf("world", 1536));
            assertThat(result.embeddings().get(0).tokens()).isEqualTo(Cl100k.encode("hello").length);
            OPENAI.server().verify(postRequestedFor(urlEqualTo(FakeOpenAi.EMBEDDINGS))
                    .withRequestBody(matchingJsonPath("$.encoding_format", equalTo("base64")))
                    .withHeader("Authorization", equalTo("Bearer " + SECRET)));
        }
    }

    @Test
    void floatWhenBase64IsOff() {
        try (EmbeddingProvider provider = provider(Map.of("request-base64", "false"))) {
            assertThat(embedSmall(provider, "hello").embeddings().get(0).vector())
                    .containsExactly(FakeOpenAi.vectorOf("hello", 1536));
            OPENAI.server().verify(postRequestedFor(urlEqualTo(FakeOpenAi.EMBEDDINGS))
                    .withRequestBody(matchingJsonPath("$.encoding_format", equalTo("float"))));
        }
    }

    @Test
    void dimensionsArePassedToModelsThatTakeThem() {
        try (EmbeddingProvider provider = provider(Map.of())) {
            float[] v = embed(provider, "text-embedding-3-small", 256, LongInputPolicy.ERROR,
                    List.of(new Input.Text("short"))).embeddings().get(0).vector();
            assertThat(v).containsExactly(FakeOpenAi.vectorOf("short", 256));
            OPENAI.server().verify(postRequestedFor(urlEqualTo(FakeOpenAi.EMBEDDINGS))
                    .withRequestBody(matchingJsonPath("$.dimensions", equalTo("256"))));
        }
    }

    @Test
    void tokenIdsPassThroughUnchanged() {
        try (EmbeddingProvider provider = provider(Map.of())) {
            int[] ids = {791, 4062, 14198};
            float[] v = embed(provider, "text-embedding-3-small", 1536, LongInputPolicy.ERROR,
                    List.of(new Input.TokenIds(ids))).embeddings().get(0).vector();
            assertThat(v).containsExactly(FakeOpenAi.vectorOf(ids, 1536));
            OPENAI.server().verify(postRequestedFor(urlEqualTo(FakeOpenAi.EMBEDDINGS))
                    .withRequestBody(matchingJsonPath("$.input[0][1]", equalTo("4062"))));
        }
    }

    @Test
    void rateLimitIsRetriedAfterTheUpstreamsRetryAfter() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "1")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"))
                .willSetStateTo("second"));
        try (EmbeddingProvider provider = provider(Map.of("max-retries", "2"))) {
            long start = System.nanoTime();
            assertThat(embedSmall(provider, "hello").embeddings()).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(OPENAI.calls()).isEqualTo(2);
        }
    }

    @Test
    void rateLimitAfterRetriesIsReportedWithItsRetryAfter() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(429)
                .withHeader("retry-after", "7").withBody("{\"error\":{\"message\":\"Rate limit reached\"}}")));
        try (EmbeddingProvider provider = provider(Map.of())) {
            Throwable e = failure(() -> embedSmall(provider, "hello"));
            assertThat(e).isInstanceOf(ProviderFailedException.class).hasMessageContaining("provider openai");
            assertThat(((ProviderFailedException) e).reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(((ProviderFailedException) e).retryAfter()).contains(Duration.ofSeconds(7));
        }
    }

    @Test
    void serverErrorIsRetried() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).inScenario("500").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        try (EmbeddingProvider provider = provider(Map.of("max-retries", "1"))) {
            assertThat(embedSmall(provider, "hello").embeddings()).hasSize(1);
            assertThat(OPENAI.calls()).isEqualTo(2);
        }
    }

    @Test
    void serverErrorAfterRetriesIsAProviderFailure() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(503)));
        try (EmbeddingProvider provider = provider(Map.of())) {
            Throwable e = failure(() -> embedSmall(provider, "hello"));
            assertThat(e).isInstanceOf(ProviderFailedException.class).hasMessageContaining("HTTP 503");
            assertThat(((ProviderFailedException) e).reason()).isEqualTo(Reason.UNAVAILABLE);
        }
    }

    @Test
    void slowUpstreamTimesOut() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withFixedDelay(3000)
                .withTransformers(FakeOpenAi.ANSWER)));
        try (EmbeddingProvider provider = provider(Map.of("timeout", "500ms"))) {
            Throwable e = failure(() -> embedSmall(provider, "hello"));
            assertThat(e).isInstanceOf(ProviderFailedException.class).hasMessageContaining("timed out");
            assertThat(((ProviderFailedException) e).reason()).isEqualTo(Reason.TIMEOUT);
        }
    }

    @Test
    void rejectedCredentialsNeverRepeatTheKey() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + "\",\"code\":\"invalid_api_key\"}}")));
        try (EmbeddingProvider provider = provider(Map.of())) {
            Throwable e = failure(() -> embedSmall(provider, "hello"));
            assertThat(((ProviderFailedException) e).reason()).isEqualTo(Reason.REJECTED_CREDENTIALS);
            assertThat(e.getMessage()).contains("rejected the gateway's credentials").doesNotContain(SECRET);
        }
    }

    @Test
    void malformedAnswerIsAProviderFailure() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"data\": [{\"embedding\": \"not")));
        try (EmbeddingProvider provider = provider(Map.of())) {
            Throwable e = failure(() -> embedSmall(provider, "hello"));
            assertThat(e).isInstanceOf(ProviderFailedException.class).hasMessageContaining("provider openai");
        }
    }

    @Test
    void upstreamBadRequestIsTheClientsWithTheUpstreamsWords() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"'$.input' is invalid.\",\"type\":\"invalid_request_error\",\"param\":\"input\"}}")));
        try (EmbeddingProvider provider = provider(Map.of())) {
            Throwable e = failure(() -> embedSmall(provider, "hello"));
            assertThat(e).isInstanceOf(BadInputException.class).hasMessageContaining("'$.input' is invalid.");
        }
    }

    @Test
    @Tag("slow") // bulk: 5000 inputs
    void fiveThousandInputsGoInThreeCallsAndComeBackInOrder() {
        List<Input> inputs = IntStream.range(0, 5000).mapToObj(i -> (Input) new Input.Text("text " + i)).toList();
        try (EmbeddingProvider provider = provider(Map.of("max-concurrency", "2"))) {
            EmbeddingResult result = embed(provider, "text-embedding-3-small", 1536, LongInputPolicy.ERROR, inputs);
            assertThat(OPENAI.calls()).isEqualTo(3);
            assertThat(result.embeddings()).hasSize(5000);
            for (int i : new int[]{0, 2047, 2048, 4095, 4096, 4999}) {
                assertThat(result.embeddings().get(i).vector()).as("input %d", i)
                        .containsExactly(FakeOpenAi.vectorOf("text " + i, 1536));
            }
        }
    }

    @Test
    void longInputIsRefusedBeforeAnyCallByDefault() {
        String tooLong = "word ".repeat(9000);
        try (EmbeddingProvider provider = provider(Map.of())) {
            Throwable e = failure(() -> embedSmall(provider, "fine", tooLong));
            assertThat(e).isInstanceOf(BadInputException.class).hasMessageContaining("Input 1").hasMessageContaining("8191");
            assertThat(((BadInputException) e).code()).isEqualTo("context_length_exceeded");
            assertThat(OPENAI.calls()).isZero();
        }
    }

    @Test
    void chunkSendsWindowsAndAveragesThem() {
        String tooLong = "word ".repeat(9000);
        int tokens = Cl100k.encode(tooLong).length;
        try (EmbeddingProvider provider = provider(Map.of())) {
            var embedding = embed(provider, "text-embedding-3-small", 1536, LongInputPolicy.CHUNK,
                    List.of(new Input.Text(tooLong))).embeddings().get(0);
            assertThat(embedding.tokens()).isEqualTo(tokens);
            OPENAI.server().verify(postRequestedFor(urlEqualTo(FakeOpenAi.EMBEDDINGS))
                    .withRequestBody(matchingJsonPath("$.input.length()", equalTo("2"))));
            assertThat(Vectors.norm(embedding.vector())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void truncateSendsTheFirst8191Tokens() {
        String tooLong = "word ".repeat(9000);
        try (EmbeddingProvider provider = provider(Map.of())) {
            var embedding = embed(provider, "text-embedding-3-small", 1536, LongInputPolicy.TRUNCATE,
                    List.of(new Input.Text(tooLong))).embeddings().get(0);
            assertThat(embedding.tokens()).isEqualTo(8191);
        }
    }

    @Test
    void unknownModelsDimensionsAreLearnedWithOneProbe() {
        try (EmbeddingProvider provider = provider(Map.of())) {
            var info = provider.model("nomic-embed-text", ModelHints.NONE).orElseThrow();
            assertThat(info.dimensions()).isEqualTo(FakeOpenAi.OTHER_MODEL_DIMENSIONS);
            assertThat(OPENAI.calls()).isEqualTo(1);
            var configured = provider.model("mxbai-embed-large", new ModelHints(java.util.Optional.of(1024),
                    java.util.Optional.of(512))).orElseThrow();
            assertThat(configured.dimensions()).isEqualTo(1024);
            assertThat(configured.maxInputTokens()).isEqualTo(512);
            assertThat(OPENAI.calls()).isEqualTo(1);
        }
    }

    @Test
    void aProbeRefusedForTheModelSaysWhatToConfigureOneUnansweredIsAskedAgainLater() {
        OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(404)));
        try (EmbeddingProvider provider = provider(Map.of())) {
            assertThatThrownBy(() -> provider.model("nomic-embed-text", ModelHints.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nomic-embed-text").hasMessageContaining("dimensions");
            OPENAI.server().stubFor(post(FakeOpenAi.EMBEDDINGS).willReturn(aResponse().withStatus(500)));
            assertThatThrownBy(() -> provider.model("nomic-embed-text", ModelHints.NONE))
                    .isInstanceOf(ProviderFailedException.class).hasMessageContaining("provider openai");
            OPENAI.answerEmbeddings();
            assertThat(provider.model("nomic-embed-text", ModelHints.NONE).orElseThrow().dimensions())
                    .isEqualTo(FakeOpenAi.OTHER_MODEL_DIMENSIONS);
        }
    }

    @Test
    void openAiItselfNeedsAKey() {
        assertThatThrownBy(() -> new OpenAiProviderFactory().create("openai", Map.of()))
                .hasMessageContaining("gateway.providers.openai.api-key");
    }

    @Test
    void azureOpenAiIsAddressedByDeploymentWithItsApiKeyHeader() {
        String deployment = "/openai/deployments/emb-small/embeddings";
        OPENAI.server().stubFor(post(WireMock.urlPathEqualTo(deployment)).withQueryParam("api-version", equalTo("2024-10-21"))
                .withHeader("api-key", equalTo(SECRET)).willReturn(aResponse().withTransformers(FakeOpenAi.ANSWER)));
        Map<String, String> azure = Map.of("base-url", "http://127.0.0.1:" + OPENAI.server().port(),
                "azure-deployment", "emb-small", "api-version", "2024-10-21");
        try (EmbeddingProvider provider = provider(azure)) {
            EmbeddingResult result = embed(provider, "text-embedding-3-small", 256, LongInputPolicy.ERROR,
                    List.of(new Input.Text("an Azure deployment of text-embedding-3-small")));
            assertThat(result.embeddings().get(0).vector()).hasSize(256);
            OPENAI.server().verify(1, postRequestedFor(WireMock.urlPathEqualTo(deployment))
                    .withoutHeader("Authorization").withRequestBody(matchingJsonPath("$.dimensions", equalTo("256"))));
        }
    }

    @Test
    void azureNeedsItsEndpointAndApiVersionNeedsAzure() {
        assertThatThrownBy(() -> provider(Map.of("base-url", "https://api.openai.com/v1", "azure-deployment", "d")))
                .hasMessageContaining("azure-deployment needs base-url");
        assertThatThrownBy(() -> provider(Map.of("api-version", "2024-10-21")))
                .hasMessageContaining("api-version is for Azure OpenAI");
    }
}
