package dev.embeddinggateway.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate-limit counters under cache pressure: in a Redis with {@code allkeys-lru} that the cache fills, they are
 * evicted (a key limited to 5 a minute gets more), and start-up warns of it; in a Redis of their own
 * ({@code quarkus.redis.limits.hosts}, {@code noeviction}) they hold while the cache's Redis evicts.
 */
@Slow
class RateLimitsUnderCachePressureIT {
    /** Room for a few hundred cached vectors past Redis's own ~1 MB. */
    private static final String[] SMALL_LRU = {"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"};

    private static Map<String, String> config(String limited, String filler, String cacheRedis) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("gateway.keys.limited.sha256", KeyHashes.sha256(limited));
        config.put("gateway.keys.limited.team", "pressure");
        config.put("gateway.keys.limited.rate-limit.requests-per-minute", "5");
        config.put("gateway.keys.filler.sha256", KeyHashes.sha256(filler));
        config.put("gateway.keys.filler.team", "pressure");
        config.put("gateway.cache.backend", "redis");
        config.put("gateway.rate-limit.backend", "redis");
        config.put("quarkus.redis.hosts", cacheRedis);
        return config;
    }

    /** What the limited key met after the cache filled its Redis. */
    private record Pressure(long admitted, boolean countersLeft, long seconds) {
    }

    /**
     * 5 requests of the limited key, then the filler's 3,000 new inputs, then 10 more of the limited key, all within
     * the limit's minute: whether its counters were still in {@code limits} after the filling, and how many of the
     * 10 were admitted.
     */
    private static Pressure pressure(GatewayProcess gateway, String limited, String filler, RedisServer limits)
            throws Exception {
        long start = System.nanoTime();
        GatewayClient limitedClient = new GatewayClient(gateway).withKey(limited);
        for (int i = 0; i < 5; i++) {
            assertThat(limitedClient.embed("before " + i).status()).isEqualTo(200);
        }
        GatewayClient fillerClient = new GatewayClient(gateway).withKey(filler);
        String run = UUID.randomUUID().toString();
        // Ten times what the Redis holds, so that LRU's sampling evicts the oldest keys (the counters) for certain.
        for (int batch = 0; batch < 6; batch++) {
            int from = batch * 500;
            List<String> inputs = IntStream.range(from, from + 500).mapToObj(i -> "fill " + run + " " + i).toList();
            assertThat(fillerClient.embed(inputs).status()).isEqualTo(200);
        }
        boolean countersLeft = !limits.keys("embedding-gateway:limit:*").isEmpty();
        long admitted = 0;
        for (int i = 0; i < 10; i++) {
            admitted += limitedClient.embed("after " + i).status() == 200 ? 1 : 0;
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        // Past a minute the limit would have refilled anyway: nothing would be shown.
        assertThat(seconds).as("the limit's minute").isLessThan(55);
        return new Pressure(admitted, countersLeft, seconds);
    }

    @Test
    void countersSharingTheCachesRedisAreEvictedAndStartUpWarns() throws Exception {
        String limited = "sk-limited-" + UUID.randomUUID();
        String filler = "sk-filler-" + UUID.randomUUID();
        try (RedisServer shared = RedisServer.start(SMALL_LRU);
             GatewayProcess gateway = GatewayProcess.start(config(limited, filler, shared.url()))) {
            Pressure pressure = pressure(gateway, limited, filler, shared);
            System.out.printf("one Redis (2 MB, allkeys-lru) for cache and limits: limit 5 a minute, counters left "
                    + "after the cache filled it: %s; %d of 10 more admitted (%d s)%n", pressure.countersLeft(),
                    pressure.admitted(), pressure.seconds());
            assertThat(pressure.countersLeft()).isFalse();
            assertThat(pressure.admitted()).isPositive();
            assertThat(gateway.log()).contains("WARN").contains("maxmemory-policy is allkeys-lru");
        }
    }

    @Test
    void countersInARedisOfTheirOwnHoldWhileTheCachesRedisEvicts() throws Exception {
        String limited = "sk-limited-" + UUID.randomUUID();
        String filler = "sk-filler-" + UUID.randomUUID();
        try (RedisServer cache = RedisServer.start(SMALL_LRU);
             RedisServer limits = RedisServer.start("--maxmemory-policy", "noeviction")) {
            // As the compose file sets it: an environment variable.
            try (GatewayProcess gateway = GatewayProcess.start(config(limited, filler, cache.url()),
                    Map.of("QUARKUS_REDIS_LIMITS_HOSTS", limits.url()), Files.createTempDirectory("gateway-it"))) {
                Pressure pressure = pressure(gateway, limited, filler, limits);
                System.out.printf("limits in a Redis of their own (noeviction), cache in 2 MB allkeys-lru: limit 5 a "
                        + "minute, counters left after the cache filled its Redis: %s; %d of 10 more admitted (%d s)%n",
                        pressure.countersLeft(), pressure.admitted(), pressure.seconds());
                assertThat(pressure.countersLeft()).isTrue();
                assertThat(pressure.admitted()).isZero();
                assertThat(cache.keys("embedding-gateway:limit:*")).isEmpty();
                assertThat(cache.keys("embedding-gateway:v2:*")).hasSizeLessThan(3_000); // it did evict
                assertThat(gateway.log()).doesNotContain("maxmemory-policy is").contains("Rate limits: counted in a Redis of their own");
            }
        }
    }
}
