package dev.embeddinggateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Skips a provider that keeps failing: after {@code threshold} consecutive failures it is open (skipped)
 * for {@code openFor}; then one request may try it again, and a success closes it.
 */
final class CircuitBreaker {
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;

    CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    synchronized boolean allowsRequests() {
        return !clock.instant().isBefore(openUntil);
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        openUntil = Instant.MIN;
    }

    synchronized void failed() {
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            openUntil = clock.instant().plus(openFor);
        }
    }

    /** For readiness: {@code closed}, or when the provider will be tried again. */
    synchronized String state() {
        return allowsRequests() ? "closed" : "open until " + openUntil + " after " + consecutiveFailures + " failures";
    }
}
