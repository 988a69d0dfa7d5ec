package dev.embeddinggateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway's configuration ({@code gateway.*}): which providers exist and which models clients may name. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Where a count or a cache is kept. */
    enum Backend {
        /** In this process: each replica alone. */
        MEMORY,
        /** In Redis ({@code quarkus.redis.hosts}): one for every replica. */
        REDIS
    }

    /** What to do with a request when Redis cannot count it. */
    enum OnStoreFailure { ALLOW, DENY }

    /** How a model's requests are spread over its providers; each strategy still fails over to the others. */
    enum Routing { FALLBACK, ROUND_ROBIN, WEIGHTED, LEAST_BUSY, LATENCY }

    /**
     * Provider instances by a name of your choice. With none configured, {@code local} (onnx,
     * all-minilm-l6-v2) and {@code local-zh} (onnx, bge-small-zh-v1.5-q) are started.
     */
    Map<String, Provider> providers();

    /**
     * Models that clients name, each served by one or more provider instances. With none configured, every
     * model of every provider is offered under its own id.
     */
    Map<String, Model> models();

    /** The model used when a request names none; all-minilm-l6-v2 where offered, else the first model. */
    Optional<String> defaultModel();

    /** Request bodies larger than this are refused with 413. */
    @WithDefault("16M")
    MemorySize maxBodySize();

    interface Provider {
        /** The plugin that runs this instance: {@code onnx}, {@code openai}, … */
        String type();

        /**
         * Every key under {@code gateway.providers.<name>.}: the plugin's options, checked against what its
         * factory declares, and the gateway's own ({@code type}, {@code circuit-breaker.*}, {@code rate-limit.*}).
         */
        @WithParentName
        Map<String, String> options();

        /** This instance's own circuit-breaker settings, where they differ from {@code gateway.circuit-breaker}. */
        CircuitBreakerOverride circuitBreaker();

        /** Limits that keep the gateway inside the upstream account's quota. */
        RateLimit rateLimit();
    }

    /** Requests and tokens per minute; absent = unlimited. */
    interface RateLimit {
        Optional<Long> requestsPerMinute();

        Optional<Long> tokensPerMinute();
    }

    /** API keys from configuration, by name (the name is the key's id in the ledger). */
    Map<String, Key> keys();

    interface Key {
        /** Hex SHA-256 of the key: the key itself is never configured. */
        String sha256();

        String team();

        /** The models this key may use; absent = all. */
        Optional<List<String>> models();

        RateLimit rateLimit();

        Budget budget();
    }

    interface Budget {
        /** USD per calendar month (UTC). */
        Optional<BigDecimal> monthlyUsd();
    }

    Admin admin();

    interface Admin {
        /** Hex SHA-256 of the admin key, which manages keys and sees every team's usage. */
        Optional<String> keySha256();
    }

    Oidc oidc();

    /**
     * People and services signed in through the organization's identity provider: a bearer JWT checked by Quarkus
     * OIDC ({@code quarkus.oidc.*}: issuer, audience, signature against its JWKS, expiry), next to API keys.
     */
    interface Oidc {
        /**
         * The claim that names the caller's team: a string, or an array (such as {@code groups}) whose first entry
         * other than the admin group is taken.
         */
        @WithDefault("team")
        String teamClaim();

        /** The group or role (as {@code quarkus.oidc.roles.*} reads them, {@code groups} by default) that is admin. */
        Optional<String> adminGroup();

        /** Each signed-in subject's limits, as a key's. */
        RateLimit rateLimit();

        /** Each signed-in subject's budget, as a key's. */
        Budget budget();

        /**
         * Teams whose signed-in members share one allotment, by the team's name (as the team claim gives it):
         * instead of each member's own limits and budget above, the team's, counted once for all of them.
         */
        Map<String, Team> teams();

        interface Team {
            RateLimit rateLimit();

            Budget budget();
        }
    }

    Metrics metrics();

    interface Metrics {
        /**
         * Hex SHA-256 of the token that may read {@code /q/metrics} once keys exist (for Prometheus); the admin
         * key may too.
         */
        Optional<String> tokenSha256();
    }

    Health health();

    WarmUp warmUp();

    interface WarmUp {
        /**
         * Requests this replica sends itself before it reports ready, on a model computed in this process (never
         * an upstream's, never a paid call), so that its first clients meet compiled code rather than the JVM's
         * interpreter; 0 turns it off. They are neither in the ledger nor in the usage meters.
         */
        @WithDefault("1500")
        int requests();
    }

    interface Health {
        /**
         * How often each provider's free check runs (OpenAI {@code GET /models}, TEI {@code /health}, Ollama
         * {@code /api/version}); {@code 0s} turns it off. Its result is shown, never a readiness condition.
         */
        @WithDefault("30s")
        Duration providerCheckInterval();
    }

    Auth auth();

    interface Auth {
        /** Failed authentications a client address may make in a minute before it is refused (429) for the rest of it. */
        @WithDefault("20")
        long failedAttemptsPerMinute();
    }

    /** Where rate limits are counted. */
    RateLimiting rateLimit();

    interface RateLimiting {
        /** {@code memory} (each replica alone) or {@code redis} (one count for every replica). */
        @WithDefault("memory")
        Backend backend();

        /** When Redis cannot be asked: {@code allow} the request, or {@code deny} it. */
        @WithDefault("allow")
        OnStoreFailure onStoreFailure();
    }

    interface CircuitBreakerOverride {
        Optional<Integer> failureThreshold();

        Optional<Duration> openFor();
    }

    interface Model {
        /** Provider instances serving this model, in order of preference. */
        List<String> providers();

        /** The model's name at the provider; default: this model's own name. */
        Optional<String> upstreamModel();

        /** {@code truncate}, {@code error} or {@code chunk}; default: the provider's (truncate for local, error for OpenAI models). */
        Optional<String> longInput();

        /** The vector size of an upstream model the provider has no metadata for; else learned with one probe at start. */
        Optional<Integer> dimensions();

        /** The most tokens one input may carry, for an upstream model the provider has no metadata for. */
        Optional<Integer> maxInputTokens();

        /** Whether this model's vectors are cached (when the cache is enabled). */
        @WithDefault("true")
        boolean cache();

        /** USD per million input tokens; default: the provider's list price (OpenAI's models), else 0. */
        Optional<BigDecimal> pricePerMillionTokens();

        /**
         * Text put before each input of a request with that {@code input_type} ({@code query}, {@code document},
         * {@code classification}, {@code clustering}), instead of the model's own prompt.
         */
        Map<String, String> prompts();

        /**
         * {@code fallback} (the first provider that answers, in order), {@code round-robin}, {@code weighted}
         * ({@link #weights()}), {@code least-busy} (fewest calls in flight) or {@code latency} (lowest recent latency).
         */
        @WithDefault("fallback")
        Routing routing();

        /** With {@code routing=weighted}: each provider's share, by name (default 1). */
        Map<String, Integer> weights();

        /** The {@code input_type} of a request that names none; default: the model's own, else none. */
        Optional<String> defaultInputType();

        /**
         * The scale of the {@code int8} and {@code uint8} encodings: the largest absolute value of any dimension over a
         * calibration corpus (the benchmark's {@code RetrievalFigures calibrate} measures it); bundled models ship theirs.
         */
        Optional<Float> int8MaxAbs();
    }

    /** Where the usage ledger is kept. */
    Store store();

    interface Store {
        /** A PostgreSQL JDBC URL; without it, an embedded database file under ./data. */
        Optional<String> jdbcUrl();

        Optional<String> username();

        Optional<String> password();
    }

    /** How usage reaches the ledger. */
    Usage usage();

    interface Usage {
        /** How often usage is written to the store; a crash loses at most this much. */
        @WithDefault("1s")
        Duration flushInterval();

        /** Rows of usage kept in memory while the store is unreachable; beyond, usage is dropped and counted. */
        @WithDefault("100000")
        int maxBufferedRows();
    }

    /** Batch jobs (OpenAI's Batches API): how this replica works on them. Every replica serves the API. */
    Batches batches();

    interface Batches {
        /** Whether this replica works on batch jobs at all (off: it only takes and reports them). */
        @WithDefault("true")
        boolean work();

        /** Request lines leased as one piece of work: what a replica that dies leaves for another to redo. */
        @WithDefault("100")
        int chunkLines();

        /** Chunks this replica works on at once. */
        @WithDefault("2")
        int concurrency();

        /** How long a lease lasts unless renewed: how soon another replica takes over the work of a dead one. */
        @WithDefault("30s")
        Duration lease();

        /** How often an idle replica looks for batch work. */
        @WithDefault("1s")
        Duration poll();
    }

    /** The per-input embedding cache. */
    Cache cache();

    interface Cache {
        @WithDefault("true")
        boolean enabled();

        /** {@code memory} (in-process, Caffeine) or {@code redis} (shared by every replica: quarkus.redis.hosts). */
        @WithDefault("memory")
        Backend backend();

        /** The most vectors the memory backend keeps. */
        @WithDefault("100000")
        long maxEntries();

        /** How long a vector stays cached. */
        @WithDefault("P7D")
        Duration ttl();

        /** The longest the redis backend may take before a request goes on without it. */
        @WithDefault("250ms")
        Duration redisTimeout();
    }

    /** When a provider that keeps failing is skipped. */
    CircuitBreaker circuitBreaker();

    interface CircuitBreaker {
        /** Consecutive failures after which a provider is skipped. */
        @WithDefault("5")
        int failureThreshold();

        /** How long it is skipped before one request tries it again. */
        @WithDefault("30s")
        Duration openFor();
    }
}
