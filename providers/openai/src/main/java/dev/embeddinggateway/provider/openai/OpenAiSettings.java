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
 */
record OpenAiSettings(String apiKey, String baseUrl, Optional<String> organization, Optional<String> project,
                      Duration timeout, int maxRetries, int maxConcurrency, boolean requestBase64) {
    static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    /** Sent to OpenAI-compatible servers that take no key: the SDK always sends one. */
    private static final String NO_KEY = "no-key";

    static OpenAiSettings from(String name, ProviderOptions options) {
        String baseUrl = options.get("base-url").orElse(OPENAI_BASE_URL);
        Optional<String> apiKey = options.get("api-key");
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
                maxConcurrency, options.getBoolean("request-base64", name).orElse(true));
    }
}
