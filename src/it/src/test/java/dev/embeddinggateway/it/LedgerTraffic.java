package dev.embeddinggateway.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Traffic whose usage the tests know from the responses alone: what every client was told (requests,
 * prompt tokens, cost), to compare with what the ledger says.
 */
final class LedgerTraffic {
    /** The priced model of the ledger tests: the local MiniLM at an operator's price. */
    static final String MODEL = "all-minilm-l6-v2";
    static final Map<String, String> PRICED_MODEL = Map.of(
            "gateway.models.\"all-minilm-l6-v2\".providers", "local",
            "gateway.models.\"all-minilm-l6-v2\".price-per-million-tokens", "0.37");

    /** What the clients were told, added up. */
    record Told(long requests, long promptTokens, long cacheHits, BigDecimal costUsd) {
        static final Told NONE = new Told(0, 0, 0, BigDecimal.ZERO);

        Told plus(Told o) {
            return new Told(requests + o.requests, promptTokens + o.promptTokens, cacheHits + o.cacheHits, costUsd.add(o.costUsd));
        }
    }

    /** The ledger's sums for {@link #MODEL}, all providers (and the cache) together. */
    record Ledger(long requests, long inputTokens, long billedTokens, long cachedTokens, BigDecimal costUsd, BigDecimal savedUsd) {
    }

    private LedgerTraffic() {
    }

    /**
     * {@code count} requests from {@code clients} concurrent clients, each of three texts out of a small pool
     * (so that many inputs are cache hits), tagged so that runs do not share cache entries.
     */
    static Told burst(GatewayProcess gateway, int count, int clients, String tag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Told>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                calls.add(pool.submit(() -> embed(gateway, List.of("text " + (n % 7) + tag, "other " + (n % 5) + tag,
                        "unique " + n + tag))));
            }
            Told told = Told.NONE;
            for (Future<Told> call : calls) {
                told = told.plus(call.get());
            }
            return told;
        } finally {
            pool.shutdown();
        }
    }

    /** One request of {@code texts} to {@link #MODEL}, which must be answered: what its client was told. */
    static Told embed(GatewayProcess gateway, List<String> texts) throws Exception {
        GatewayClient.Answer response = new GatewayClient(gateway).embed(MODEL, texts);
        if (response.status() != 200) {
            throw new AssertionError("HTTP " + response.status() + ": " + response.body());
        }
        return new Told(1, response.at("/usage/prompt_tokens").asLong(),
                Long.parseLong(response.header("x-cache-hits").orElseThrow()),
                new BigDecimal(response.header("x-gateway-cost-usd").orElseThrow()));
    }

    static Ledger ledger(GatewayProcess gateway) throws Exception {
        GatewayClient.Answer usage = new GatewayClient(gateway).get("/v1/usage?group_by=model");
        if (usage.status() != 200) {
            throw new AssertionError("GET /v1/usage: HTTP " + usage.status() + ": " + usage.body());
        }
        for (JsonNode row : usage.json().get("data")) {
            if (row.get("model").asText().equals(MODEL)) {
                return new Ledger(row.get("requests").asLong(), row.get("input_tokens").asLong(), row.get("billed_tokens").asLong(),
                        row.get("cached_tokens").asLong(), new BigDecimal(row.get("cost_usd").asText()),
                        new BigDecimal(row.get("saved_usd").asText()));
            }
        }
        return new Ledger(0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
    }
}
