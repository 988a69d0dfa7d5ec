package dev.embeddinggateway.limits;

import dev.embeddinggateway.config.RateLimitConfig;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits out of range stop the start with the key to change; none fails a request. */
class PerMinuteTest {
    private static RateLimitConfig configured(Long requests, Long tokens) {
        return new RateLimitConfig() {
            @Override
            public Optional<Long> requestsPerMinute() {
                return Optional.ofNullable(requests);
            }

            @Override
            public Optional<Long> tokensPerMinute() {
                return Optional.ofNullable(tokens);
            }
        };
    }

    @Test
    void aConfiguredLimitAboveTheMostIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> PerMinute.of(configured(null, 100_000_000_000L), "gateway.keys.big.rate-limit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.keys.big.rate-limit.tokens-per-minute is 100000000000")
                .hasMessageContaining(Long.toString(PerMinute.MAX));
        assertThatThrownBy(() -> PerMinute.of(configured(0L, null), "gateway.oidc.rate-limit"))
                .hasMessageContaining("gateway.oidc.rate-limit.requests-per-minute is 0");
        assertThat(PerMinute.of(configured(PerMinute.MAX, 1L), "gateway.keys.ok.rate-limit"))
                .isEqualTo(new PerMinute(Optional.of(PerMinute.MAX), Optional.of(1L)));
    }

    @Test
    void aBucketOfAnyLimitTakesRequests() {
        assertThat(MinuteBucket.of(Long.MAX_VALUE).tryConsume(1)).isTrue();
        assertThat(MinuteBucket.of(PerMinute.MAX).tryConsume(PerMinute.MAX)).isTrue();
    }
}
