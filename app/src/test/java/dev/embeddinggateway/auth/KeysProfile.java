package dev.embeddinggateway.auth;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The tests' gateway with keys: an admin key and four configured keys, each showing one kind of limit. Key
 * names carry a random suffix: a key's usage and budget live in the database, which outlives one test run.
 */
public class KeysProfile implements QuarkusTestProfile {
    public static final String ADMIN = "sk-admin-secret";
    /** What Prometheus presents to /q/metrics. */
    static final String METRICS_TOKEN = "metrics-token-secret";
    /** A key with a token limit and a budget, for a model whose provider has a token limit too. */
    public static final String METERED = "sk-metered-key";
    static final String SEARCH = "sk-search-key";
    public static final String TOKENS = "sk-tokens-key";
    public static final String BUDGET = "sk-budget-key";
    public static final String ZH_ONLY = "sk-zh-only-key";
    static final String TOKENIZER = "sk-tokenizer-key";
    /** A key of 5 requests a minute, for the files and batch jobs it calls. */
    public static final String FILES_LIMITED = "sk-files-limited-key";
    /** A key that uploads up to the storage quota (below). */
    public static final String UPLOADER = "sk-uploader-key";
    /** {@code gateway.files.quota-per-key} here: room for the other tests' files and their batches' output. */
    public static final long FILES_QUOTA = 64L << 20;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("gateway.admin.key-sha256", Sha256.hex(ADMIN));
        config.put("gateway.metrics.token-sha256", Sha256.hex(METRICS_TOKEN));
        // As behind the compose file's nginx: the client address is the forwarded one.
        config.put("quarkus.http.proxy.proxy-address-forwarding", "true");
        config.put("quarkus.http.proxy.enable-forwarded-for", "true");
        key(config, "search", SEARCH, "search");
        config.put("gateway.keys.search-" + RUN + ".rate-limit.requests-per-minute", "10");
        key(config, "tokens", TOKENS, "research");
        config.put("gateway.keys.tokens-" + RUN + ".rate-limit.tokens-per-minute", "600");
        key(config, "budget", BUDGET, "finance");
        config.put("gateway.keys.budget-" + RUN + ".budget.monthly-usd", "0.01");
        key(config, "zh", ZH_ONLY, "china");
        config.put("gateway.keys.zh-" + RUN + ".models", "bge-small-zh-v1.5-q");
        key(config, "tokenizer", TOKENIZER, "chunking");
        config.put("gateway.keys.tokenizer-" + RUN + ".rate-limit.requests-per-minute", "5");
        config.put("gateway.keys.tokenizer-" + RUN + ".rate-limit.tokens-per-minute", "10");
        key(config, "files-limited", FILES_LIMITED, "files");
        config.put("gateway.keys.files-limited-" + RUN + ".rate-limit.requests-per-minute", "5");
        key(config, "uploader", UPLOADER, "files");
        config.put("gateway.files.quota-per-key", String.valueOf(FILES_QUOTA));
        key(config, "metered", METERED, "metering");
        config.put("gateway.keys.metered-" + RUN + ".rate-limit.tokens-per-minute", "100000");
        config.put("gateway.keys.metered-" + RUN + ".budget.monthly-usd", "100");
        config.put("gateway.providers.x-metered.type", "char-histogram");
        config.put("gateway.providers.x-metered.model", "histogram");
        config.put("gateway.providers.x-metered.rate-limit.tokens-per-minute", "100000");
        config.put("gateway.models.\"metered-plugin\".providers", "x-metered");
        config.put("gateway.models.\"metered-plugin\".upstream-model", "histogram");
        // 1000 USD per million tokens: 0.001 USD a token, so that a few requests reach a budget.
        config.put("gateway.models.\"priced-minilm\".providers", "local");
        config.put("gateway.models.\"priced-minilm\".upstream-model", "all-minilm-l6-v2");
        config.put("gateway.models.\"priced-minilm\".price-per-million-tokens", "1000");
        return config;
    }

    private static void key(Map<String, String> config, String name, String key, String team) {
        config.put("gateway.keys." + name + "-" + RUN + ".sha256", Sha256.hex(key));
        config.put("gateway.keys." + name + "-" + RUN + ".team", team);
    }
}
