package dev.embeddinggateway.store;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {
    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-08T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void afterAFailureRequestsAreRefusedThenOneTriesWhileTheOthersStillFailFast() {
        Hands clock = new Hands();
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(2), clock);
        assertThat(breaker.tryRequest()).isTrue();
        breaker.failed();
        assertThat(breaker.tryRequest()).isFalse();
        clock.now = clock.now.plusSeconds(2);
        // The trial goes ahead; the others do not while it may still be waiting on a hung store.
        assertThat(breaker.tryRequest()).isTrue();
        assertThat(breaker.tryRequest()).isFalse();
        clock.now = clock.now.plusSeconds(1);
        assertThat(breaker.tryRequest()).isFalse();
        breaker.succeeded();
        assertThat(breaker.tryRequest()).isTrue();
        assertThat(breaker.tryRequest()).isTrue();
    }

    @Test
    void aFailedTrialKeepsItOpen() {
        Hands clock = new Hands();
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(2), clock);
        breaker.failed();
        clock.now = clock.now.plusSeconds(2);
        assertThat(breaker.tryRequest()).isTrue();
        clock.now = clock.now.plusSeconds(3);
        breaker.failed();
        assertThat(breaker.tryRequest()).isFalse();
        clock.now = clock.now.plusSeconds(2);
        assertThat(breaker.tryRequest()).isTrue();
    }
}
