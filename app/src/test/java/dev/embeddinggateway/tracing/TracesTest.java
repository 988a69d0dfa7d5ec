package dev.embeddinggateway.tracing;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.embeddinggateway.routing.FakeOpenAiUpstreams;
import dev.embeddinggateway.routing.FakeSelfHostedServers;
import dev.embeddinggateway.testing.Eventually;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With tracing on, a request is one trace continuing the client's {@code traceparent}: the request's span with
 * OpenTelemetry's GenAI attributes and the request id, and children for the limits, the cache lookup, each
 * provider attempt (a failover shows as a failed attempt, then the next) and the ledger; the upstream receives the
 * trace too. No text is ever on a span.
 */
@QuarkusTest
@Tag("slow") // its own application, with tracing on
@TestProfile(TracesTest.Traced.class)
class TracesTest {
    private static final String TEXT = "a private note about 治疗感冒的药";

    public static class Traced implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OtlpReceiver.class));
        }
    }

    @AfterEach
    void upstreamsAnswerAgain() {
        FakeOpenAiUpstreams.answerNormally();
    }

    @Test
    void aRequestIsOneTraceWithItsStepsAndEachProviderAttempt() {
        FakeOpenAiUpstreams.FLAKY.server().stubFor(post("/v1/embeddings").willReturn(aResponse().withStatus(500)));
        String traceId = randomHex(16);
        String clientSpan = randomHex(8);
        given().header("traceparent", "00-" + traceId + "-" + clientSpan + "-01").header("x-request-id", "traced-1")
                .contentType(ContentType.JSON).body(Map.of("model", "flaky-model", "input", TEXT))
                .post("/v1/embeddings").then().statusCode(200).header("x-gateway-provider", "openai-b");

        List<Span> spans = completeTrace(traceId, "gateway.ledger");
        Span request = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        assertThat(OtlpReceiver.hex(request.getParentSpanId().toByteArray())).as("the client's span is the parent")
                .isEqualTo(clientSpan);
        assertThat(text(request, "gen_ai.operation.name")).contains("embeddings");
        assertThat(text(request, "gen_ai.request.model")).contains("flaky-model");
        assertThat(text(request, "gen_ai.response.model")).contains("text-embedding-3-small");
        assertThat(text(request, "gen_ai.provider.name")).contains("openai-b");
        assertThat(number(request, "gen_ai.usage.input_tokens")).hasValueSatisfying(t -> assertThat(t).isPositive());
        assertThat(number(request, "gateway.cache.misses")).contains(1L);
        assertThat(attribute(request, "http.request.header.x-request-id").map(AnyValue::toString)).hasValueSatisfying(
                v -> assertThat(v).contains("traced-1"));

        List<String> children = spans.stream().filter(s -> s.getParentSpanId().equals(request.getSpanId()))
                .map(Span::getName).toList();
        assertThat(children).contains("gateway.limits", "gateway.cache.lookup", "embeddings flaky",
                "embeddings openai-b", "gateway.ledger");
        Span failed = named(spans, "embeddings flaky");
        Span served = named(spans, "embeddings openai-b");
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(served.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(served.getStartTimeUnixNano()).isGreaterThanOrEqualTo(failed.getEndTimeUnixNano());
        assertThat(number(served, "gen_ai.usage.input_tokens")).hasValueSatisfying(t -> assertThat(t).isPositive());

        // The upstream was called within the attempt's span.
        LoggedRequest upstream = FakeOpenAiUpstreams.B.server().findAll(postRequestedFor(urlEqualTo("/v1/embeddings")))
                .stream().filter(r -> r.containsHeader("traceparent") && r.getHeader("traceparent").contains(traceId))
                .findFirst().orElseThrow(() -> new AssertionError("openai-b got no traceparent of this trace"));
        assertThat(upstream.getHeader("traceparent")).contains(OtlpReceiver.hex(served.getSpanId().toByteArray()));

        assertThat(spans).allSatisfy(span -> span.getAttributesList().forEach(a ->
                assertThat(a.getValue().toString()).doesNotContain("private note").doesNotContain("感冒")));
    }

    @Test
    void providersOverQuarkusRestClientPassTheTraceOn() {
        String traceId = randomHex(16);
        given().header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01").contentType(ContentType.JSON)
                .body(Map.of("model", "tei-only", "input", "to TEI " + System.nanoTime())).post("/v1/embeddings").then()
                .statusCode(200).header("x-gateway-provider", "tei");
        Span attempt = named(completeTrace(traceId, "gateway.ledger"), "embeddings tei");
        LoggedRequest upstream = FakeSelfHostedServers.TEI.findAll(postRequestedFor(urlEqualTo("/embed"))).stream()
                .filter(r -> r.containsHeader("traceparent") && r.getHeader("traceparent").contains(traceId))
                .findFirst().orElseThrow(() -> new AssertionError("TEI got no traceparent of this trace"));
        // The upstream's parent is the attempt's span, or the HTTP client's span within it.
        String parent = upstream.getHeader("traceparent").split("-")[2];
        String attemptId = OtlpReceiver.hex(attempt.getSpanId().toByteArray());
        assertThat(parent.equals(attemptId) || OtlpReceiver.of(traceId).stream().anyMatch(s ->
                OtlpReceiver.hex(s.getSpanId().toByteArray()).equals(parent)
                        && OtlpReceiver.hex(s.getParentSpanId().toByteArray()).equals(attemptId)))
                .as("TEI's call is within the attempt's span").isTrue();
    }

    @Test
    void aCacheHitShowsOnTheLookupAndCallsNoProvider() {
        String text = "cached for the trace " + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("model", "openai-a-only", "input", text)).post("/v1/embeddings")
                .then().statusCode(200);
        String traceId = randomHex(16);
        given().header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01").contentType(ContentType.JSON)
                .body(Map.of("model", "openai-a-only", "input", text)).post("/v1/embeddings").then().statusCode(200)
                .header("x-gateway-provider", "cache");
        List<Span> spans = completeTrace(traceId, "gateway.ledger");
        assertThat(number(named(spans, "gateway.cache.lookup"), "gateway.cache.hits")).contains(1L);
        assertThat(spans).noneMatch(s -> s.getName().startsWith("embeddings "));
    }

    /** The trace's spans once its server span and its span {@code last} have arrived. */
    private static List<Span> completeTrace(String traceId, String last) {
        try {
            return Eventually.within(Duration.ofSeconds(10))
                    .until(() -> OtlpReceiver.of(traceId), spans -> spans.stream().anyMatch(s -> s.getName().equals(last))
                            && spans.stream().anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no complete trace " + traceId + " received: " + OtlpReceiver.of(traceId).stream()
                    .map(Span::getName).toList());
        }
    }

    private static Span named(List<Span> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(Span::getName).toList()));
    }

    private static Optional<AnyValue> attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue).findFirst();
    }

    private static Optional<String> text(Span span, String key) {
        return attribute(span, key).map(AnyValue::getStringValue);
    }

    private static Optional<Long> number(Span span, String key) {
        return attribute(span, key).map(AnyValue::getIntValue);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zero, which W3C trace context calls invalid
        return HexFormat.of().formatHex(b);
    }
}
