package dev.embeddinggateway.provider.openai;

import dev.embeddinggateway.core.ProviderOptions;

import java.time.Duration;
import java.util.Optional;

/**
 * The options of one {@code openai} provider instance.
 *
 * @param apiKey         never logged, never in a message
 * @param maxConcurrency upstream requests in flight at once
 * @param requestBase64  ask for base64 vectors: a quarter of the bytes of JSON floats
 * @param azure          Azure OpenAI's deployment and API version, when the upstream is Azure OpenAI
 */
record OpenAiSettings(String apiKey, String baseUrl, Optional<String> organization, Optional<String> project,
                      Duration timeout, int maxRetries, int maxConcurrency, boolean requestBase64, Optional<Azure> azure) {
    /** Azure OpenAI addresses a deployment ({@code /openai/deployments/<d>/embeddings?api-version=…}), with an {@code api-key} header. */
    record Azure(String deployment, String apiVersion) {
        static final String DEFAULT_API_VERSION = "2024-10-21";
    }

    static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    /** Sent to OpenAI-compatible servers that take no key: the SDK always sends one. */
    private static final String NO_KEY = "no-key";

    static OpenAiSettings from(String name, ProviderOptions options) {
        String baseUrl = options.get("base-url").orElse(OPENAI_BASE_URL);
        Optional<String> apiKey = options.get("api-key");
        Optional<Azure> azure = options.get("azure-deployment")
                .map(d -> new Azure(d, options.get("api-version").orElse(Azure.DEFAULT_API_VERSION)));
        if (azure.isPresent() && (baseUrl.equals(OPENAI_BASE_URL) || apiKey.isEmpty())) {
            throw new IllegalArgumentException("gateway.providers." + name + ".azure-deployment needs base-url (the "
                    + "resource's endpoint, https://<resource>.openai.azure.com) and api-key");
        }
        if (options.get("api-version").isPresent() && azure.isEmpty()) {
            throw new IllegalArgumentException("gateway.providers." + name + ".api-version is for Azure OpenAI: "
                    + "set azure-deployment too");
        }
        if (apiKey.isEmpty() && baseUrl.equals(OPENAI_BASE_URL)) {
            throw new IllegalArgumentException("gateway.providers." + name + ".api-key is required for OpenAI "
                    + "(set it from an environment variable: api-key=${OPENAI_API_KEY})");
        }
        int maxConcurrency = options.getInt("max-concurrency", 8, name);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("gateway.providers." + name + ".max-concurrency must be at least 1");
        }
        return new OpenAiSettings(apiKey.orElse(NO_KEY), baseUrl, options.get("organization"), options.get("project"),
                options.getDuration("timeout", Duration.ofSeconds(30), name), options.getInt("max-retries", 2, name),
                maxConcurrency, options.getBoolean("request-base64", name).orElse(true), azure);
    }

    /** The model name on the wire: Azure names the deployment instead. */
    String upstreamModel(String model) {
        return azure.map(Azure::deployment).orElse(model);
    }
}
