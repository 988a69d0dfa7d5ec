package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits in Redis: two replicas enforce one limit together; a Redis that stops answering is handled as
 * configured (allow or deny), and once it is back limits are counted there again; and no key, plain, ever
 * reaches a log line.
 */
@Slow
class SharedRateLimitIT {
    private static final String ADMIN_KEY = "sk-admin-" + UUID.randomUUID();

    /** A configured key, unique to this run (limits live in Redis for two minutes), allowed 10 requests a minute. */
    private static Map<String, String> keyed(String key, String redis, String onFailure) throws Exception {
        String name = "team-key-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = new HashMap<>();
        config.put("gateway.keys." + name + ".sha256", KeyHashes.sha256(key));
        config.put("gateway.keys." + name + ".team", "shared");
        config.put("gateway.keys." + name + ".rate-limit.requests-per-minute", "10");
        config.put("gateway.admin.key-sha256", KeyHashes.sha256(ADMIN_KEY));
        config.put("gateway.rate-limit.backend", "redis");
        config.put("gateway.rate-limit.on-store-failure", onFailure);
        config.put("quarkus.redis.hosts", redis);
        return config;
    }

    private static int embed(GatewayProcess gateway, String key, String text) throws Exception {
        return new GatewayClient(gateway).withKey(key).embed(text).status();
    }

    @Test
    void twoReplicasShareOneLimitAndNoKeyIsLogged() throws Exception {
        String key = "sk-shared-" + UUID.randomUUID();
        Map<String, String> config = keyed(key, "redis://127.0.0.1:6379", "allow");
        try (GatewayProcess first = GatewayProcess.start(config); GatewayProcess second = GatewayProcess.start(config)) {
            int admitted = 0;
            int refused = 0;
            for (int i = 0; i < 20; i++) {
                int status = embed(i % 2 == 0 ? first : second, key, "request " + i);
                admitted += status == 200 ? 1 : 0;
                refused += status == 429 ? 1 : 0;
            }
            embed(first, "sk-wrong-" + UUID.randomUUID(), "a wrong key");
            System.out.printf("two replicas, one limit of 10 a minute, 20 requests: %d admitted, %d refused%n", admitted, refused);
            assertThat(admitted).isEqualTo(10);
            assertThat(refused).isEqualTo(10);
            for (GatewayProcess replica : new GatewayProcess[]{first, second}) {
                assertThat(replica.log()).contains("API keys required").doesNotContain(key).doesNotContain(ADMIN_KEY)
                        .doesNotContain("sk-wrong-");
            }
        }
    }

    @Test
    void redisDownAllowsOrDeniesAsConfigured() throws Exception {
        String key = "sk-outage-" + UUID.randomUUID();
        try (RedisServer redis = RedisServer.start();
             GatewayProcess allowing = GatewayProcess.start(keyed(key, redis.url(), "allow"));
             GatewayProcess denying = GatewayProcess.start(keyed(key, redis.url(), "deny"))) {
            assertThat(embed(allowing, key, "redis up")).isEqualTo(200);
            assertThat(embed(denying, key, "redis up")).isEqualTo(200);
            redis.stop();
            assertThat(embed(allowing, key, "redis down")).isEqualTo(200);
            assertThat(embed(denying, key, "redis down")).isEqualTo(503);
            assertThat(allowing.log()).contains("Rate-limit store unreachable").contains("allowed");
            assertThat(denying.log()).contains("Rate-limit store unreachable").contains("denied");

            // Redis back (empty): limits are counted there again, without a restart (each of the two configures
            // the key under its own name, so each admits its own 10).
            redis.startAgain();
            int[] admitted = new int[2];
            for (int i = 0; i < 24; i++) {
                admitted[i % 2] += embed(i % 2 == 0 ? allowing : denying, key, "redis back " + i) == 200 ? 1 : 0;
            }
            assertThat(admitted).containsExactly(10, 10);
        }
    }
}
