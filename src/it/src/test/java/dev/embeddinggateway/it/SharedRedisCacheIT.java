package dev.embeddinggateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The redis cache backend: two replicas on the machine's Redis (127.0.0.1:6379) see each other's entries;
 * a Redis of the test's own, stopped mid-test, never fails a request, and caching resumes when it returns.
 */
@Slow
class SharedRedisCacheIT {
    private static GatewayProcess first;
    private static GatewayProcess second;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> shared = Map.of("gateway.cache.backend", "redis", "quarkus.redis.hosts", "redis://127.0.0.1:6379");
        first = GatewayProcess.start(shared);
        second = GatewayProcess.start(shared);
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
    }

    /** A gateway whose cache is the given Redis of the test's own. */
    private static GatewayProcess cachingIn(RedisServer redis) throws Exception {
        // The tests count the keys in Redis: no warm-up, whose cached requests would add theirs.
        return GatewayProcess.start(Map.of("gateway.cache.backend", "redis", "quarkus.redis.hosts", redis.url(),
                "gateway.warm-up.requests", "0"));
    }

    /** {@code {"input": [text]}}: the default model. */
    private static GatewayClient.Answer embed(GatewayProcess gateway, String text) throws Exception {
        return new GatewayClient(gateway).embed(List.of(text));
    }

    private static String cacheHits(GatewayClient.Answer response) {
        return response.header("x-cache-hits").orElseThrow();
    }

    @Test
    void replicasShareEntries() throws Exception {
        String text = "shared between replicas " + UUID.randomUUID();
        GatewayClient.Answer computed = embed(first, text);
        assertThat(cacheHits(computed)).isEqualTo("0");
        GatewayClient.Answer fromOtherReplica = embed(second, text);
        assertThat(cacheHits(fromOtherReplica)).isEqualTo("1");
        assertThat(fromOtherReplica.header("x-gateway-provider")).contains("cache");
        assertThat(fromOtherReplica.body().replaceAll("\"model\".*", ""))
                .isEqualTo(computed.body().replaceAll("\"model\".*", ""));
    }

    @Test
    void aValueSomeoneElseWroteIsAMissNeverAVector() throws Exception {
        try (RedisServer redis = RedisServer.start(); GatewayProcess gateway = cachingIn(redis)) {
            String text = "poisoned " + UUID.randomUUID();
            GatewayClient.Answer computed = embed(gateway, text);
            List<String> keys = redis.keys("embedding-gateway:v2:*");
            assertThat(keys).hasSize(1);
            float[] nan = new float[384];
            nan[0] = Float.NaN;
            List<byte[]> poisons = List.of(new byte[]{1, 2, 3},                 // too short
                    cachedValue((byte) 2, 7, new float[512]),                   // another size
                    cachedValue((byte) 2, 7, nan),                              // not finite
                    cachedValue((byte) 2, -40, new float[384]),                 // negative tokens
                    cachedValue((byte) 1, 7, new float[384]));                  // another format
            for (byte[] poison : poisons) {
                redis.set(keys.get(0), poison);
                GatewayClient.Answer served = embed(gateway, text);
                assertThat(cacheHits(served)).isEqualTo("0");
                assertThat(served.body()).isEqualTo(computed.body());
                // Overwritten by the recomputed value.
                served = await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                        .until(() -> embed(gateway, text), again -> cacheHits(again).equals("1"));
                assertThat(cacheHits(served)).isEqualTo("1");
                assertThat(served.body()).isEqualTo(computed.body());
            }
            String metrics = new GatewayClient(gateway).get("/q/metrics").body();
            assertThat(metrics).containsPattern("gateway_cache_invalid_entries_total\\{backend=\"redis\"[^}]*} [5-9]");
            assertThat(gateway.log()).containsOnlyOnce("is no valid embedding");
        }
    }

    /** A value laid out as the gateway writes one: format byte, flags byte, int32 tokens, float32 values, little-endian. */
    private static byte[] cachedValue(byte format, int tokens, float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(6 + 4 * vector.length).order(ByteOrder.LITTLE_ENDIAN).put(format).put((byte) 0)
                .putInt(tokens);
        bytes.asFloatBuffer().put(vector);
        return bytes.array();
    }

    @Test
    void redisStoppedMidRunNeverFailsARequestAndCachingResumes() throws Exception {
        try (RedisServer redis = RedisServer.start(); GatewayProcess gateway = cachingIn(redis)) {
            String before = "before the outage " + UUID.randomUUID();
            embed(gateway, before);
            assertThat(cacheHits(embed(gateway, before))).isEqualTo("1");

            redis.stop();
            String during = "during the outage " + UUID.randomUUID();
            for (int i = 0; i < 3; i++) {
                GatewayClient.Answer response = embed(gateway, during);
                assertThat(response.status()).isEqualTo(200);
                assertThat(cacheHits(response)).isEqualTo("0");
            }
            String metrics = new GatewayClient(gateway).get("/q/metrics").body();
            assertThat(metrics).containsPattern("gateway_cache_errors_total\\{backend=\"redis\"[^}]*} [1-9]");
            assertThat(gateway.log()).containsOnlyOnce("Redis cache read failed");

            redis.startAgain();
            String after = "after the outage " + UUID.randomUUID();
            // The client reconnects on its own: a text embedded (and so cached) once, then asked again.
            GatewayClient.Answer again = await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        embed(gateway, after);
                        return embed(gateway, after);
                    }, answer -> cacheHits(answer).equals("1"));
            assertThat(cacheHits(again)).isEqualTo("1");
        }
    }
}
