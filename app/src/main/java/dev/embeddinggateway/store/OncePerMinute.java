package dev.embeddinggateway.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** For warnings about an outage that every request runs into: the first one, then at most one a minute. */
public final class OncePerMinute {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private final AtomicLong last = new AtomicLong(System.nanoTime() - MINUTE_NANOS);

    /** Whether to warn now; true for one caller at most per minute. */
    public boolean due() {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous >= MINUTE_NANOS && last.compareAndSet(previous, now);
    }
}
