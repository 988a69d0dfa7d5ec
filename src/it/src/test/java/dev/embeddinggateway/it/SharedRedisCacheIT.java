package dev.embeddinggateway.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redis cache backend: two replicas on the machine's Redis (127.0.0.1:6379) see each other's entries;
 * a Redis of the test's own, stopped mid-test, never fails a request, and caching resumes when it returns.
 */
class SharedRedisCacheIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
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

    static HttpResponse<String> embed(GatewayProcess gateway, String text) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/embeddings")))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":[\"" + text + "\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String cacheHits(HttpResponse<String> response) {
        return response.headers().firstValue("x-cache-hits").orElseThrow();
    }

    @Test
    void replicasShareEntries() throws Exception {
        String text = "shared between replicas " + UUID.randomUUID();
        HttpResponse<String> computed = embed(first, text);
        assertThat(cacheHits(computed)).isEqualTo("0");
        HttpResponse<String> fromOtherReplica = embed(second, text);
        assertThat(cacheHits(fromOtherReplica)).isEqualTo("1");
        assertThat(fromOtherReplica.headers().firstValue("x-gateway-provider")).contains("cache");
        assertThat(fromOtherReplica.body().replaceAll("\"model\".*", ""))
                .isEqualTo(computed.body().replaceAll("\"model\".*", ""));
    }

    @Test
    void aValueSomeoneElseWroteIsAMissNeverAVector() throws Exception {
        try (RedisServer redis = RedisServer.start(); GatewayProcess gateway = cachingIn(redis)) {
            String text = "poisoned " + UUID.randomUUID();
            HttpResponse<String> computed = embed(gateway, text);
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
                HttpResponse<String> served = embed(gateway, text);
                assertThat(cacheHits(served)).isEqualTo("0");
                assertThat(served.body()).isEqualTo(computed.body());
                for (int i = 0; i < 20 && !cacheHits(served).equals("1"); i++) {
                    Thread.sleep(100); // overwritten by the recomputed value
                    served = embed(gateway, text);
                }
                assertThat(cacheHits(served)).isEqualTo("1");
                assertThat(served.body()).isEqualTo(computed.body());
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/metrics"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
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
                HttpResponse<String> response = embed(gateway, during);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(cacheHits(response)).isEqualTo("0");
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url("/q/metrics"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("gateway_cache_errors_total\\{backend=\"redis\"[^}]*} [1-9]");
            assertThat(gateway.log()).containsOnlyOnce("Redis cache read failed");

            redis.startAgain();
            String after = "after the outage " + UUID.randomUUID();
            embed(gateway, after);
            HttpResponse<String> again = embed(gateway, after);
            for (int i = 0; i < 20 && !cacheHits(again).equals("1"); i++) {
                Thread.sleep(250); // the client reconnects on its own
                embed(gateway, after);
                again = embed(gateway, after);
            }
            assertThat(cacheHits(again)).isEqualTo("1");
        }
    }
}
