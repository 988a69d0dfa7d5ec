package dev.embeddinggateway.provider.rest;

import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The options every provider over an HTTP API shares ({@code base-url}, {@code api-key}, {@code timeout}),
 * and its typed REST client, built for this instance.
 *
 * @param apiKey sent as {@code Authorization: Bearer}; never logged, never in a message
 */
public record RestUpstream(String name, URI baseUrl, Optional<String> apiKey, Duration timeout) {

    static final ProviderOption<String> BASE_URL = ProviderOption.text("base-url", null, "the server").required();
    static final ProviderOption<String> API_KEY = ProviderOption.text("api-key", null,
            "sent as `Authorization: Bearer` (TEI started with `--api-key`, or a proxy in front of Ollama)");
    public static final ProviderOption<Duration> TIMEOUT = ProviderOption.duration("timeout", "30s", "per call");
    /** What every such provider type takes. */
    public static final List<ProviderOption<?>> OPTIONS = List.of(BASE_URL, API_KEY, TIMEOUT);

    public static RestUpstream from(ProviderOptions options) {
        return from(options, BASE_URL, API_KEY);
    }

    /** With a provider type's own {@code base-url} and {@code api-key} options (a vendor's URL as default, say). */
    public static RestUpstream from(ProviderOptions options, ProviderOption<String> baseUrl, ProviderOption<String> apiKey) {
        return new RestUpstream(options.instance(), URI.create(options.get(baseUrl).replaceAll("/+$", "")),
                options.find(apiKey), options.get(TIMEOUT));
    }

    /** The typed client, sending the key as {@code Authorization: Bearer}. */
    public <T> T client(Class<T> api) {
        return client(api, "Authorization", "Bearer ");
    }

    /** The typed client, sending the key in header {@code header} after {@code prefix}. */
    public <T> T client(Class<T> api, String header, String prefix) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder().baseUri(baseUrl)
                .connectTimeout(Math.min(timeout.toMillis(), 10_000), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        apiKey.ifPresent(key -> builder.register((ClientRequestFilter) request ->
                request.getHeaders().putSingle(header, prefix + key)));
        return builder.build(api);
    }

    /**
     * Waits for a metadata call, within the timeout.
     *
     * @throws ProviderFailedException when the server cannot answer now (the gateway asks again later)
     * @throws IllegalArgumentException when it refuses what was asked
     */
    public <T> T await(CompletionStage<T> call, Statuses statuses) {
        try {
            return call.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            ProviderException failure = RestFailures.map(name, e, statuses);
            if (failure instanceof ProviderFailedException down) {
                throw down;
            }
            throw new IllegalArgumentException("provider " + name + " cannot use " + baseUrl + ": " + failure.getMessage(), e);
        }
    }

    /**
     * What a server's HTTP error statuses mean: the client's input, or a busy server (the next provider may
     * answer); 401/403 are the gateway's credentials, anything else a failure of the provider.
     */
    public record Statuses(Set<Integer> badInput, Set<Integer> busy) {
        RestFailures.Kind of(int status) {
            if (badInput.contains(status)) {
                return RestFailures.Kind.BAD_INPUT;
            }
            if (busy.contains(status)) {
                return RestFailures.Kind.RATE_LIMITED;
            }
            return status == 401 || status == 403 ? RestFailures.Kind.CREDENTIALS : RestFailures.Kind.UNAVAILABLE;
        }
    }
}
