package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger equals what the clients were told — requests, tokens, cost to the last digit — after concurrent
 * bursts with cache hits: on the embedded store across a graceful restart, on the machine's PostgreSQL, and
 * through a PostgreSQL outage.
 */
class UsageLedgerIT {
    private static final BigDecimal PRICE_PER_TOKEN = new BigDecimal("0.37").movePointLeft(6);

    private static void assertLedgerIsWhatClientsWereTold(LedgerTraffic.Ledger before, LedgerTraffic.Ledger after,
                                                          LedgerTraffic.Told told) {
        System.out.printf("told: %s%nledger delta: requests %d, input %d, billed %d, cached %d, cost %s, saved %s%n", told,
                after.requests() - before.requests(), after.inputTokens() - before.inputTokens(),
                after.billedTokens() - before.billedTokens(), after.cachedTokens() - before.cachedTokens(),
                after.costUsd().subtract(before.costUsd()).toPlainString(), after.savedUsd().subtract(before.savedUsd()).toPlainString());
        assertThat(after.requests() - before.requests()).isEqualTo(told.requests());
        assertThat(after.inputTokens() - before.inputTokens()).isEqualTo(told.promptTokens());
        assertThat(after.costUsd().subtract(before.costUsd())).isEqualByComparingTo(told.costUsd());
        long billed = after.billedTokens() - before.billedTokens();
        long cached = after.cachedTokens() - before.cachedTokens();
        assertThat(told.cacheHits()).isPositive();
        assertThat(cached).isPositive();
        assertThat(billed + cached).isEqualTo(told.promptTokens());
        assertThat(told.costUsd()).isEqualByComparingTo(PRICE_PER_TOKEN.multiply(BigDecimal.valueOf(billed)));
        assertThat(after.savedUsd().subtract(before.savedUsd())).isEqualByComparingTo(PRICE_PER_TOKEN.multiply(BigDecimal.valueOf(cached)));
    }

    /** Slow: two starts and a burst; GracefulShutdownIT covers a ledger kept across a restart in the fast lane. */
    @Test
    @Slow
    void embeddedStoreIsExactAndKeepsItAcrossAGracefulRestart() throws Exception {
        Path workDir = Files.createTempDirectory("ledger-it");
        LedgerTraffic.Told told;
        LedgerTraffic.Ledger counted;
        try (GatewayProcess gateway = GatewayProcess.start(LedgerTraffic.PRICED_MODEL, workDir)) {
            assertThat(gateway.log()).contains("Usage ledger: embedded H2 file").contains("a crash loses at most the last 1000 ms");
            told = LedgerTraffic.burst(gateway, 120, 8, " " + UUID.randomUUID());
            counted = LedgerTraffic.ledger(gateway);
            assertLedgerIsWhatClientsWereTold(new LedgerTraffic.Ledger(0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO), counted, told);
            // Usage not yet flushed when the stop begins is written by the graceful shutdown.
            told = told.plus(LedgerTraffic.embed(gateway, List.of("just before the stop")));
        }
        try (GatewayProcess restarted = GatewayProcess.start(LedgerTraffic.PRICED_MODEL, workDir)) {
            assertThat(LedgerTraffic.ledger(restarted).requests()).isEqualTo(told.requests());
            assertThat(LedgerTraffic.ledger(restarted).costUsd()).isEqualByComparingTo(told.costUsd());
        }
    }

    private static Map<String, String> onPostgres(String jdbcUrl) {
        Map<String, String> properties = new HashMap<>(LedgerTraffic.PRICED_MODEL);
        properties.put("gateway.store.jdbc-url", jdbcUrl);
        properties.put("gateway.store.username", "postgres");
        return properties;
    }

    @Test
    void postgresIsExactToo() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(onPostgres("jdbc:postgresql://127.0.0.1:5432/test"))) {
            assertThat(gateway.log()).contains("Usage ledger: PostgreSQL jdbc:postgresql://127.0.0.1:5432/test");
            LedgerTraffic.Ledger before = LedgerTraffic.ledger(gateway);
            LedgerTraffic.Told told = LedgerTraffic.burst(gateway, 120, 8, " " + UUID.randomUUID());
            assertLedgerIsWhatClientsWereTold(before, LedgerTraffic.ledger(gateway), told);
        }
    }

    /** Slow: a PostgreSQL of its own, stopped and started again. */
    @Test
    @Slow
    void postgresStoppedAndStartedMidRunLosesNothing() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             GatewayProcess gateway = GatewayProcess.start(onPostgres(postgres.jdbcUrl()))) {
            String tag = " " + UUID.randomUUID();
            LedgerTraffic.Told told = LedgerTraffic.burst(gateway, 30, 4, tag);
            postgres.stop();
            told = told.plus(LedgerTraffic.burst(gateway, 30, 4, tag)); // every request must still succeed
            // A flush fails and keeps the usage buffered (within the pool's acquisition timeout of a failed flush).
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(gateway.log()).contains("Usage store unreachable"));
            postgres.startAgain();
            LedgerTraffic.Told all = told.plus(LedgerTraffic.burst(gateway, 30, 4, tag));
            // The store's breaker may hold /v1/usage at 503 (retry-after) for up to 2 s after the database is back.
            await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertLedgerIsWhatClientsWereTold(
                            new LedgerTraffic.Ledger(0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO), LedgerTraffic.ledger(gateway), all));
        }
    }
}
