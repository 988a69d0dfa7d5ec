package dev.embeddinggateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;

/** The gateway's configuration ({@code gateway.*}): which providers exist and which models clients may name. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Provider instances by a name of your choice. With none configured, {@code local} (onnx,
     * all-minilm-l6-v2) and {@code local-zh} (onnx, bge-small-zh-v1.5-q) are started.
     */
    Map<String, ProviderConfig> providers();

    /**
     * Models that clients name, each served by one or more provider instances. With none configured, every
     * model of every provider is offered under its own id.
     */
    Map<String, ModelConfig> models();

    /** The model used when a request names none; all-minilm-l6-v2 where offered, else the first model. */
    Optional<String> defaultModel();

    /** Request bodies larger than this are refused with 413. */
    @WithDefault("16M")
    MemorySize maxBodySize();

    /** API keys from configuration, by name (the name is the key's id in the ledger). */
    Map<String, KeyConfig> keys();

    AdminConfig admin();

    OidcConfig oidc();

    MetricsConfig metrics();

    HealthConfig health();

    WarmUpConfig warmUp();

    AuthConfig auth();

    /** Where rate limits are counted. */
    RateLimitingConfig rateLimit();

    /** Where the usage ledger is kept. */
    StoreConfig store();

    /** How usage reaches the ledger. */
    UsageConfig usage();

    /** Batch jobs (OpenAI's Batches API): how this replica works on them. Every replica serves the API. */
    BatchesConfig batches();

    /** Files uploaded for batch jobs: how much one key may keep. */
    FilesConfig files();

    /** The per-input embedding cache. */
    CacheConfig cache();

    /** When a provider that keeps failing is skipped. */
    CircuitBreakerConfig circuitBreaker();
}
