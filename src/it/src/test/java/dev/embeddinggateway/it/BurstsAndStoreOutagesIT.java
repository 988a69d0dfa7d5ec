package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What limits and budgets promise under bursts across two replicas, and what a ledger outage does to keys: a key
 * without a budget never waits on the store; a budgeted one gets a prompt 503 while it is out.
 */
@Slow
class BurstsAndStoreOutagesIT {
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A key of a team, unique to this run, with these settings, and a model at 1000 USD per million tokens. */
    private static Map<String, String> withKey(String key, Map<String, String> settings) throws Exception {
        String name = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = new HashMap<>();
        config.put("gateway.keys." + name + ".sha256", KeyHashes.sha256(key));
        config.put("gateway.keys." + name + ".team", "burst");
        settings.forEach((k, v) -> config.put("gateway.keys." + name + "." + k, v));
        config.put("gateway.models.\"priced\".providers", "local");
        config.put("gateway.models.\"priced\".upstream-model", "all-minilm-l6-v2");
        config.put("gateway.models.\"priced\".price-per-million-tokens", "1000");
        config.put("gateway.providers.local.type", "onnx");
        return config;
    }

    /** {@code {"model": "priced", "input": "hello world"}} with {@code key}, past the cache, answered within 60 s. */
    private static CompletableFuture<GatewayClient.Answer> hello(GatewayProcess gateway, String key) {
        return new GatewayClient(gateway).over(HTTP_1_1).withKey(key).withHeader("cache-control", "no-store")
                .withTimeout(Duration.ofSeconds(60)).embedAsync("priced", "hello world");
    }

    /** {@code count} requests sent at once, alternating between the replicas; their statuses. */
    private static List<Integer> burst(int count, String key, GatewayProcess... replicas) {
        List<CompletableFuture<GatewayClient.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(hello(replicas[i % replicas.length], key));
        }
        return calls.stream().map(c -> c.join().status()).toList();
    }

    private static String usage(GatewayProcess gateway, String key) throws Exception {
        return new GatewayClient(gateway).over(HTTP_1_1).withKey(key).get("/v1/usage?group_by=key").body();
    }

    /** The ledger's database {@code hung} (SIGSTOP) or {@code stopped}. */
    private static void begin(PostgresServer postgres, String outage) throws Exception {
        if (outage.equals("hung")) {
            postgres.freeze();
        } else {
            postgres.stop();
        }
    }

    private static void end(PostgresServer postgres, String outage) throws Exception {
        if (outage.equals("hung")) {
            postgres.thaw();
        } else {
            postgres.startAgain();
        }
    }

    private static long count(List<Integer> statuses, int status) {
        return statuses.stream().filter(s -> s == status).count();
    }

    @Test
    void aSharedRateLimitHoldsUnderABurstOnTwoReplicas() throws Exception {
        for (String onFailure : new String[]{"allow", "deny"}) {
            String key = "sk-burst-" + UUID.randomUUID();
            Map<String, String> config = withKey(key, Map.of("rate-limit.requests-per-minute", "30"));
            config.putAll(Map.of("gateway.rate-limit.backend", "redis", "quarkus.redis.hosts", "redis://127.0.0.1:6379",
                    "gateway.rate-limit.on-store-failure", onFailure));
            try (GatewayProcess first = GatewayProcess.start(config); GatewayProcess second = GatewayProcess.start(config)) {
                List<Integer> statuses = burst(200, key, first, second);
                System.out.printf("rate limit 30/min, on-store-failure=%s, 200 requests at once on 2 replicas: "
                        + "%d admitted, %d refused (429), %d 503%n", onFailure, count(statuses, 200), count(statuses, 429),
                        count(statuses, 503));
                assertThat(count(statuses, 200)).isBetween(30L, 31L);
                assertThat(count(statuses, 429) + count(statuses, 200)).isEqualTo(200);
            }
        }
    }

    @Test
    void aBudgetHoldsUnderABurstOnTwoReplicas() throws Exception {
        String key = "sk-budget-" + UUID.randomUUID();
        try (PostgresServer postgres = PostgresServer.start()) {
            // 4 tokens ([CLS] hello world [SEP]) at 0.001 USD a token: 0.004 a request; 12 fit in 0.05.
            Map<String, String> config = withKey(key, Map.of("budget.monthly-usd", "0.05"));
            config.put("gateway.store.jdbc-url", postgres.jdbcUrl());
            config.put("gateway.store.username", "postgres");
            try (GatewayProcess first = GatewayProcess.start(config); GatewayProcess second = GatewayProcess.start(config)) {
                List<Integer> statuses = burst(200, key, first, second);
                usage(first, key); // writes its pending usage, so that the second's answer is the whole
                String spent = usage(second, key).replaceAll("(?s).*\"cost_usd\":\"([0-9.]+)\".*", "$1");
                System.out.printf("budget 0.05 USD, 0.004 a request, 200 requests at once on 2 replicas: %d admitted, "
                        + "%d refused (429), %d 503, spent %s USD%n", count(statuses, 200), count(statuses, 429),
                        count(statuses, 503), spent);
                assertThat(count(statuses, 200)).isEqualTo(12);
                assertThat(count(statuses, 429)).isEqualTo(188);
                assertThat(new BigDecimal(spent)).isEqualByComparingTo("0.048");
            }
        }
    }

    /**
     * With the ledger's database stopped or hung, a budgeted key's requests fail fast once the first has failed
     * (the database's breaker), and are served again once it is back, without a restart.
     */
    @Test
    void aLedgerOutageAnswersABudgetedBurstWithinTwoSeconds() throws Exception {
        String budgeted = "sk-budgeted-" + UUID.randomUUID();
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, String> config = withKey(budgeted, Map.of("budget.monthly-usd", "100"));
            config.put("gateway.store.jdbc-url", postgres.jdbcUrl());
            config.put("gateway.store.username", "postgres");
            try (GatewayProcess gateway = GatewayProcess.start(config)) {
                assertThat(hello(gateway, budgeted).join().status()).isEqualTo(200);
                for (String outage : new String[]{"hung", "stopped"}) {
                    begin(postgres, outage);
                    long first = System.nanoTime();
                    int firstStatus = hello(gateway, budgeted).join().status();
                    long firstMillis = (System.nanoTime() - first) / 1_000_000;
                    // Four bursts of 100 at once, a second apart: each answer timed from its sending.
                    List<CompletableFuture<long[]>> timed = new ArrayList<>();
                    for (int wave = 0; wave < 4; wave++) {
                        for (int i = 0; i < 100; i++) {
                            long sent = System.nanoTime();
                            timed.add(hello(gateway, budgeted).thenApply(a -> new long[]{a.status(),
                                    (System.nanoTime() - sent) / 1_000_000}));
                        }
                        Thread.sleep(1_000);
                    }
                    List<long[]> answers = timed.stream().map(CompletableFuture::join).toList();
                    long slow = answers.stream().filter(a -> a[1] > 2_000).count();
                    long longest = answers.stream().mapToLong(a -> a[1]).max().orElseThrow();
                    System.out.printf("ledger %s: first budgeted request %d after %d ms; then 400 in 4 bursts: %d "
                            + "answered after more than 2 s, longest %d ms, statuses %s%n", outage, firstStatus,
                            firstMillis, slow, longest, answers.stream().collect(java.util.stream.Collectors
                                    .groupingBy(a -> a[0], java.util.TreeMap::new, java.util.stream.Collectors.counting())));
                    assertThat(firstStatus).isEqualTo(503);
                    assertThat(answers).allSatisfy(a -> assertThat(a[0]).isEqualTo(503));
                    // The breaker's trials (one every 2 s at most) may wait on a hung database; nothing else does.
                    assertThat(slow).isLessThanOrEqualTo(4);
                    end(postgres, outage);
                    GatewayClient.Answer back = await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(500)).until(() -> hello(gateway, budgeted).join(), a -> a.status() == 200);
                    assertThat(back.status()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void aLedgerOutageNeverStallsAKeyWithoutABudget() throws Exception {
        String free = "sk-free-" + UUID.randomUUID();
        String budgeted = "sk-budgeted-" + UUID.randomUUID();
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, String> config = withKey(free, Map.of());
            config.putAll(withKey(budgeted, Map.of("budget.monthly-usd", "100")));
            config.put("gateway.store.jdbc-url", postgres.jdbcUrl());
            config.put("gateway.store.username", "postgres");
            try (GatewayProcess gateway = GatewayProcess.start(config)) {
                assertThat(hello(gateway, budgeted).join().status()).isEqualTo(200);
                for (String outage : new String[]{"hung", "stopped"}) {
                    begin(postgres, outage);
                    CompletableFuture<GatewayClient.Answer> budgetedCall = hello(gateway, budgeted);
                    long longest = 0;
                    for (int i = 0; i < 20; i++) {
                        long start = System.nanoTime();
                        assertThat(hello(gateway, free).join().status()).isEqualTo(200);
                        longest = Math.max(longest, (System.nanoTime() - start) / 1_000_000);
                    }
                    long start = System.nanoTime();
                    GatewayClient.Answer refused = budgetedCall.join();
                    System.out.printf("ledger %s: longest wait of a key without a budget %d ms; the budgeted key's "
                            + "answer %d after %d ms more%n", outage, longest, refused.status(),
                            (System.nanoTime() - start) / 1_000_000);
                    assertThat(longest).isLessThan(2_000);
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.body()).contains("store_unavailable");
                    end(postgres, outage);
                    // The pool drops its dead connections.
                    GatewayClient.Answer back = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(500)).until(() -> hello(gateway, budgeted).join(), a -> a.status() == 200);
                    assertThat(back.status()).isEqualTo(200);
                }
            }
        }
    }
}
