package dev.embeddinggateway.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/** The gateway's in-process limit: a Bucket4j bucket refilled in full every minute from its first use. */
public final class MinuteBucket {
    private MinuteBucket() {
    }

    public static Bucket of(long perMinute) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1)).build())
                .build();
    }
}
