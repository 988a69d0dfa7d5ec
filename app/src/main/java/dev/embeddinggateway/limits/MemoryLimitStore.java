package dev.embeddinggateway.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
    public CompletionStage<Admission> admit(String holder, PerMinute limit, long tokens) {
        Optional<Bucket> requests = limit.requests().map(rpm -> bucket(holder + ":requests", rpm));
        Optional<Bucket> tokenBucket = limit.tokens().map(tpm -> bucket(holder + ":tokens", tpm));
        Optional<LimitDecision> byRequests = requests.map(b -> decision(b.tryConsumeAndReturnRemaining(1), limit.requests().get()));
        if (byRequests.isPresent() && !byRequests.get().allowed()) {
            return CompletableFuture.completedFuture(new Admission(byRequests, Optional.empty()));
        }
        Optional<LimitDecision> byTokens = tokenBucket.map(b -> decision(b.tryConsumeAndReturnRemaining(tokens), limit.tokens().get()));
        if (byTokens.isPresent() && !byTokens.get().allowed()) {
            requests.ifPresent(b -> b.addTokens(1)); // the request is not going through after all
        }
        return CompletableFuture.completedFuture(new Admission(byRequests, byTokens));
    }

    private static LimitDecision decision(ConsumptionProbe probe, long perMinute) {
        Duration wait = Duration.ofNanos(probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill());
        return new LimitDecision(probe.isConsumed(), perMinute, Math.max(0, probe.getRemainingTokens()), wait);
    }

    @Override
    public CompletionStage<Void> adjustTokens(String holder, long perMinute, long delta) {
        Bucket bucket = bucket(holder + ":tokens", perMinute);
        if (delta > 0) {
            bucket.consumeIgnoringRateLimits(delta);
        } else if (delta < 0) {
            bucket.addTokens(-delta);
        }
        return CompletableFuture.completedFuture(null);
    }
}
