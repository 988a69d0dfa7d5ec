package dev.embeddinggateway.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/** The gateway's in-process limit: a Bucket4j bucket refilled in full every minute from its first use. */
public final class MinuteBucket {
    private MinuteBucket() {
    }

    /** A limit above {@link PerMinute#MAX} (which Bucket4j may refuse) counts as that: a request never fails on it. */
    public static Bucket of(long perMinute) {
        long capacity = Math.min(perMinute, PerMinute.MAX);
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillIntervally(capacity, Duration.ofMinutes(1)).build())
                .build();
    }
}
