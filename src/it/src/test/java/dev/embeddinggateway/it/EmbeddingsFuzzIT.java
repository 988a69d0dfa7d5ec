package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated request bodies against the packaged gateway: random JSON, OpenAI-shaped requests with wrong
 * types and odd values, deep nesting, huge numbers, odd Unicode and lone surrogates, broken UTF-8. Whatever
 * comes, the answer is never a 5xx, every error is OpenAI's error shape, and the gateway serves afterwards.
 */
class EmbeddingsFuzzIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SENT = new AtomicLong();
    private static GatewayProcess gateway;

    @BeforeContainer
    static void start() throws Exception {
        // Small batches and a cache that cannot grow: the point is the parser and the error paths.
        gateway = GatewayProcess.start(Map.of("gateway.cache.max-entries", "1000"));
    }

    @AfterContainer
    static void servesAfterwardsAndStop() throws Exception {
        try {
            System.out.printf("fuzz: %d generated bodies sent%n", SENT.get());
            assertThat(post(bytes("{\"input\":\"still serving\"}")).statusCode()).isEqualTo(200);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/health/ready"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(gateway.log()).doesNotContain("Exception").doesNotContain("ERROR");
        } finally {
            gateway.close();
        }
    }

    @Property(tries = 10_000, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void neverA5xxAlwaysOpenAiErrors(@ForAll("bodies") byte[] body) throws Exception {
        SENT.incrementAndGet();
        HttpResponse<String> response = post(body);
        String sent = new String(body, StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(sent).isLessThan(500);
        if (response.statusCode() >= 400) {
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error).as(sent).isNotNull();
            assertThat(error.get("message").isTextual()).as(sent).isTrue();
            assertThat(error.get("type").isTextual()).as(sent).isTrue();
        } else {
            assertThat(JSON.readTree(response.body()).get("object").asText()).isEqualTo("list");
        }
    }

    private static HttpResponse<String> post(byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings")))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, openAiShaped().map(EmbeddingsFuzzIT::bytes)),
                net.jqwik.api.Tuple.of(2, json(3).map(EmbeddingsFuzzIT::bytes)),
                net.jqwik.api.Tuple.of(1, deepNesting().map(EmbeddingsFuzzIT::bytes)),
                net.jqwik.api.Tuple.of(1, brokenBytes()));
    }

    /** A request object whose every field may have any type or an odd value. */
    private static Arbitrary<String> openAiShaped() {
        Arbitrary<String> input = Arbitraries.oneOf(oddString(), json(2), tokenIds(),
                oddString().list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]"));
        Arbitrary<String> model = Arbitraries.oneOf(Arbitraries.of("\"all-minilm-l6-v2\"", "\"bge-small-zh-v1.5-q\"",
                "\"all-minilm-l6-v2-q\"", "\"text-embedding-3-small\""), oddString(), json(1));
        Arbitrary<String> format = Arbitraries.oneOf(Arbitraries.of("\"float\"", "\"base64\""), oddString(), json(1));
        Arbitrary<String> dimensions = Arbitraries.oneOf(number(), json(1));
        return net.jqwik.api.Combinators.combine(input, model, format, dimensions, oddString(), Arbitraries.integers().between(0, 31))
                .as((i, m, f, d, u, present) -> {
                    StringBuilder out = new StringBuilder("{\"input\":").append(i);
                    if ((present & 1) != 0) out.append(",\"model\":").append(m);
                    if ((present & 2) != 0) out.append(",\"encoding_format\":").append(f);
                    if ((present & 4) != 0) out.append(",\"dimensions\":").append(d);
                    if ((present & 8) != 0) out.append(",\"user\":").append(u);
                    if ((present & 16) != 0) out.append(",").append(oddKey()).append(":").append(d);
                    return out.append('}').toString();
                });
    }

    private static String oddKey() {
        return "\"\\u0000input\"";
    }

    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(Arbitraries.of("null", "true", "false", "{}", "[]", "\"\""),
                number(), oddString());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = net.jqwik.api.Combinators.combine(oddString(), json(depth - 1)).as((k, v) -> k + ":" + v)
                .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(leaf, array, object);
    }

    private static Arbitrary<String> number() {
        return Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("1e400", "-1e400", "99999999999999999999999999999999", "-0", "0.5", "1E+2", "-2147483649",
                        "9223372036854775808", "NaN", "Infinity", "01", "1.", ".5", "0x10"));
    }

    private static Arbitrary<String> tokenIds() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-5, 200_000).list().ofMaxSize(8),
                        Arbitraries.integers().list().ofMaxSize(3))
                .map(l -> l.toString().replace(" ", ""));
    }

    /** A JSON string (quoted) of odd characters: controls, escapes, lone surrogates, emoji, RTL, CJK. */
    private static Arbitrary<String> oddString() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12).map(EmbeddingsFuzzIT::escapeControls),
                Arbitraries.of("\\ud800", "\\udfff", "\\udbff\\udc00", "\\u0000", "\\\"", "\\\\", "\\n", "😀", "‮", "﻿",
                        "治疗感冒的药", "\\uZZZZ", "\\", "\u0001", "e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"));
        return piece.list().ofMaxSize(6).map(l -> "\"" + String.join("", l) + "\"");
    }

    /** Raw characters as JSON would carry them, except quote and backslash (the odd escapes come from elsewhere). */
    private static String escapeControls(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Arbitrary<String> deepNesting() {
        return Arbitraries.integers().between(1, 20_000).flatMap(depth -> Arbitraries.of("[", "{\"input\":")
                .map(open -> "{\"input\":" + open.repeat(depth) + "\"x\"" + (open.equals("[") ? "]" : "}").repeat(depth) + "}"));
    }

    private static Arbitrary<byte[]> brokenBytes() {
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> invalidUtf8InString = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)
                .map(b -> concat(bytes("{\"input\":\""), b, bytes("\"}")));
        Arbitrary<byte[]> truncated = openAiShaped().flatMap(s -> Arbitraries.integers().between(0, s.length())
                .map(n -> bytes(s.substring(0, n))));
        return Arbitraries.oneOf(garbage, invalidUtf8InString, truncated);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
