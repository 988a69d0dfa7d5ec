package dev.embeddinggateway.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The eviction policy read from {@code INFO memory}, which decides the start-up WARN ({@code RateLimitsUnderCachePressureIT}). */
class LimitsRedisTest {
    @Test
    void readsTheEvictionPolicyOfInfoMemory() {
        assertThat(LimitsRedis.policy("# Memory\r\nused_memory:1049344\r\nmaxmemory:2097152\r\n"
                + "maxmemory_policy:allkeys-lru\r\nallocator_frag_ratio:1.0\r\n")).isEqualTo("allkeys-lru");
        assertThat(LimitsRedis.policy("# Memory\r\nmaxmemory_policy:noeviction\r\n")).isEqualTo("noeviction");
        assertThat(LimitsRedis.policy("# Memory\r\nused_memory:1\r\n")).isEqualTo("noeviction");
    }
}
