package dev.embeddinggateway.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Limits of this replica alone: a Bucket4j bucket per limit, refilled in full every minute. */
final class MemoryLimitStore implements LimitStore {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private Bucket bucket(String id, long perMinute) {
        return buckets.computeIfAbsent(id + "/" + perMinute, k -> MinuteBucket.of(perMinute));
    }

    @Override
    public CompletionStage<LimitDecision> consume(String id, long perMinute, long amount) {
        ConsumptionProbe probe = bucket(id, perMinute).tryConsumeAndReturnRemaining(amount);
        Duration wait = Duration.ofNanos(probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill());
        return CompletableFuture.completedFuture(new LimitDecision(probe.isConsumed(), perMinute,
                Math.max(0, probe.getRemainingTokens()), wait));
    }

    @Override
    public CompletionStage<Void> adjust(String id, long perMinute, long delta) {
        Bucket bucket = bucket(id, perMinute);
        if (delta > 0) {
            bucket.consumeIgnoringRateLimits(delta);
        } else if (delta < 0) {
            bucket.addTokens(-delta);
        }
        return CompletableFuture.completedFuture(null);
    }
}
