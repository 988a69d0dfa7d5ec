package dev.embeddinggateway.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Skips what keeps failing (a provider instance, the database): after {@code threshold} consecutive failures it is
 * open (skipped) for {@code openFor}; then a request may try it again, and a success closes it.
 */
public final class CircuitBreaker {
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    public synchronized boolean allowsRequests() {
        return !clock.instant().isBefore(openUntil);
    }

    /**
     * Whether this request may go ahead: while open, no; once {@code openFor} has passed, this one request is the
     * trial, and the others are skipped for another {@code openFor} while it runs (a hung service answers the trial
     * late, and nothing else waits on it meanwhile).
     */
    public synchronized boolean tryRequest() {
        if (!allowsRequests()) {
            return false;
        }
        if (consecutiveFailures >= threshold) {
            openUntil = clock.instant().plus(openFor);
        }
        return true;
    }

    public synchronized void succeeded() {
        consecutiveFailures = 0;
        openUntil = Instant.MIN;
    }

    public synchronized void failed() {
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            openUntil = clock.instant().plus(openFor);
        }
    }

    /** For readiness: {@code closed}, or when the provider will be tried again. */
    public synchronized String state() {
        return allowsRequests() ? "closed" : "open until " + openUntil + " after " + consecutiveFailures + " failures";
    }
}
