package dev.embeddinggateway.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The end-to-end tests' client of a gateway, as an application calls it over HTTP: {@code POST /v1/embeddings}
 * (with a key or without, with headers such as {@code cache-control}), or any path; the answer is its status,
 * headers and body, parsed when asked. Immutable: {@code withKey}, {@code withHeader}, {@code withTimeout} and
 * {@code over} give a new client.
 *
 * <p>Every client sends through one {@link HttpClient} with Java's defaults (HTTP/2 by upgrade, kept-alive
 * connections) unless given another: the SDK tests use the SDKs instead.
 */
final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final GatewayProcess gateway;
    private final HttpClient http;
    private final Map<String, String> headers;
    private final Duration timeout;

    GatewayClient(GatewayProcess gateway) {
        this(gateway, HTTP, Map.of(), null);
    }

    private GatewayClient(GatewayProcess gateway, HttpClient http, Map<String, String> headers, Duration timeout) {
        this.gateway = gateway;
        this.http = http;
        this.headers = headers;
        this.timeout = timeout;
    }

    /** Sends {@code Authorization: Bearer key}. */
    GatewayClient withKey(String key) {
        return withHeader("Authorization", "Bearer " + key);
    }

    GatewayClient withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new GatewayClient(gateway, http, Map.copyOf(more), timeout);
    }

    /** Each request fails with {@link java.net.http.HttpTimeoutException} when not answered within {@code timeout}. */
    GatewayClient withTimeout(Duration timeout) {
        return new GatewayClient(gateway, http, headers, timeout);
    }

    /** Through {@code http} (another HTTP version, its own connections) instead of the shared client. */
    GatewayClient over(HttpClient http) {
        return new GatewayClient(gateway, http, headers, timeout);
    }

    /** {@code {"input": input}}: the default model; {@code input} a text, a list of texts or of token ids. */
    Answer embed(Object input) throws IOException, InterruptedException {
        return send(embedRequest(body(null, input)));
    }

    /** {@code {"model": model, "input": input}}. */
    Answer embed(String model, Object input) throws IOException, InterruptedException {
        return send(embedRequest(body(model, input)));
    }

    /** {@link #embed(String, Object)}, not waiting for the answer. */
    CompletableFuture<Answer> embedAsync(String model, Object input) {
        return sendAsync(embedRequest(body(model, input)));
    }

    /** {@code body} as JSON to {@code path}. */
    Answer post(String path, Object body) throws IOException, InterruptedException {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))).build());
    }

    /** {@code body} as it is, valid JSON or not, to {@code path}. */
    Answer post(String path, byte[] body) throws IOException, InterruptedException {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).build());
    }

    private static Map<String, Object> body(String model, Object input) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (model != null) {
            body.put("model", model);
        }
        body.put("input", input);
        return body;
    }

    private HttpRequest embedRequest(Map<String, Object> body) {
        return request("/v1/embeddings").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))).build();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)));
        headers.forEach(request::header);
        if (timeout != null) {
            request.timeout(timeout);
        }
        return request;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        return Answer.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private CompletableFuture<Answer> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(Answer::of);
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What the gateway answered. */
    record Answer(int status, HttpHeaders headers, String body) {
        private static Answer of(HttpResponse<String> response) {
            return new Answer(response.statusCode(), response.headers(), response.body());
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The body parsed as JSON. */
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        /** The node at a JSON Pointer into the body, e.g. {@code /usage/prompt_tokens}; a missing node when absent. */
        JsonNode at(String pointer) {
            return json().at(pointer);
        }
    }
}
