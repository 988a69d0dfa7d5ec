package dev.embeddinggateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.limits.MinuteBucket;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/**
 * Failed authentications per client address (each replica counts its own): past
 * {@code gateway.auth.failed-attempts-per-minute}, the address is refused until its minute has passed, so
 * keys cannot be guessed at speed. Addresses are forgotten two minutes after their last failure.
 */
@ApplicationScoped
public class FailedAuthLimiter {
    private final long perMinute;
    private final Cache<String, Bucket> failures = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(100_000).build();

    public FailedAuthLimiter(GatewayConfig config) {
        this.perMinute = config.auth().failedAttemptsPerMinute();
    }

    /** How long the address must wait, when it has used up its failures. */
    Optional<Duration> blocked(String address) {
        Bucket bucket = failures.getIfPresent(address);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    void failed(String address) {
        failures.get(address, a -> MinuteBucket.of(perMinute)).tryConsume(1);
    }
}
