package dev.embeddinggateway.provider.openai;

import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;

import java.time.Duration;
import java.util.List;
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

    static final ProviderOption<String> API_KEY = ProviderOption.text("api-key", null,
            "the upstream key; never logged, never in a response (required for OpenAI itself)");
    static final ProviderOption<String> BASE_URL = ProviderOption.text("base-url", OPENAI_BASE_URL,
            "any OpenAI-compatible server");
    static final ProviderOption<String> ORGANIZATION = ProviderOption.text("organization", null,
            "OpenAI's `OpenAI-Organization` header");
    static final ProviderOption<String> PROJECT = ProviderOption.text("project", null, "OpenAI's `OpenAI-Project` header");
    static final ProviderOption<Duration> TIMEOUT = ProviderOption.duration("timeout", "30s",
            "per upstream call (`30s`, `500ms`, `PT1M`)");
    static final ProviderOption<Integer> MAX_RETRIES = ProviderOption.integer("max-retries", "2",
            "retries on 429 (after `retry-after`), 5xx, resets and timeouts, with backoff");
    static final ProviderOption<Integer> MAX_CONCURRENCY = ProviderOption.integer("max-concurrency", "256",
            "upstream calls in flight at once for this instance (upstream quotas are what `rate-limit.*` is for)");
    static final ProviderOption<Boolean> REQUEST_BASE64 = ProviderOption.bool("request-base64", "true",
            "ask for base64 vectors (a quarter of the bytes) and decode them");
    static final ProviderOption<String> AZURE_DEPLOYMENT = ProviderOption.text("azure-deployment", null,
            "Azure OpenAI: the deployment to call (`base-url` is then the resource's endpoint, "
                    + "`https://<resource>.openai.azure.com`, and `api-key` goes in Azure's `api-key` header)");
    static final ProviderOption<String> API_VERSION = ProviderOption.text("api-version", Azure.DEFAULT_API_VERSION,
            "Azure OpenAI's API version");
    static final List<ProviderOption<?>> OPTIONS = List.of(API_KEY, BASE_URL, ORGANIZATION, PROJECT, TIMEOUT, MAX_RETRIES,
            MAX_CONCURRENCY, REQUEST_BASE64, AZURE_DEPLOYMENT, API_VERSION);

    static OpenAiSettings from(ProviderOptions options) {
        String baseUrl = options.get(BASE_URL);
        Optional<String> apiKey = options.find(API_KEY);
        Optional<Azure> azure = options.find(AZURE_DEPLOYMENT).map(d -> new Azure(d, options.get(API_VERSION)));
        if (azure.isPresent() && (baseUrl.equals(OPENAI_BASE_URL) || apiKey.isEmpty())) {
            throw new IllegalArgumentException(options.key(AZURE_DEPLOYMENT) + " needs base-url (the "
                    + "resource's endpoint, https://<resource>.openai.azure.com) and api-key");
        }
        if (options.isSet(API_VERSION) && azure.isEmpty()) {
            throw new IllegalArgumentException(options.key(API_VERSION) + " is for Azure OpenAI: set azure-deployment too");
        }
        if (apiKey.isEmpty() && baseUrl.equals(OPENAI_BASE_URL)) {
            throw new IllegalArgumentException(options.key(API_KEY) + " is required for OpenAI "
                    + "(set it from an environment variable: api-key=${OPENAI_API_KEY})");
        }
        int maxConcurrency = options.get(MAX_CONCURRENCY);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException(options.key(MAX_CONCURRENCY) + " must be at least 1");
        }
        return new OpenAiSettings(apiKey.orElse(NO_KEY), baseUrl, options.find(ORGANIZATION), options.find(PROJECT),
                options.get(TIMEOUT), options.get(MAX_RETRIES), maxConcurrency, options.get(REQUEST_BASE64), azure);
    }

    /** The model name on the wire: Azure names the deployment instead. */
    String upstreamModel(String model) {
        return azure.map(Azure::deployment).orElse(model);
    }
}
