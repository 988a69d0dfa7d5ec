package dev.embeddinggateway.core;

import java.time.Duration;

/** The provider has more work queued than it takes; the client should retry after {@link #retryAfter()}. */
public final class OverloadedException extends ProviderException {
    private final Duration retryAfter;

    public OverloadedException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
