package dev.embeddinggateway.batch;

import dev.embeddinggateway.http.ApiException;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether a batch line that was refused or failed is sent again, and when: a line told to wait (a rate limit, an
 * overload) is retried after the wait it was told, without end; a provider's failure up to
 * {@link #MAX_FAILED_ATTEMPTS} times, after a growing wait. A spent budget is never retried.
 */
final class RetryPolicy {
    static final int MAX_FAILED_ATTEMPTS = 3;
    /** The longest wait between tries, and between polls of an unreachable store. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private RetryPolicy() {
    }

    /**
     * @param after   how long until the line is sent again
     * @param failure whether the try counts as one of the {@link #MAX_FAILED_ATTEMPTS} (a wait asked for does not)
     */
    record Retry(Duration after, boolean failure) {
    }

    /** The retry of a line answered {@code answer} after {@code failures} failed tries; empty when it fails now. */
    static Optional<Retry> after(ApiException answer, int failures) {
        boolean waitAsked = (answer.status() == 429 && !"insufficient_quota".equals(answer.error().code()))
                || answer.status() == 503;
        boolean failedUpstream = answer.status() >= 500 && !waitAsked && failures + 1 < MAX_FAILED_ATTEMPTS;
        return waitAsked || failedUpstream ? Optional.of(new Retry(wait(answer, failures), !waitAsked)) : Optional.empty();
    }

    /** What the answer said to wait, else one second doubled with each failure, at most {@link #MAX_BACKOFF}. */
    private static Duration wait(ApiException answer, int failures) {
        String retryAfter = answer.headers().get("retry-after");
        if (retryAfter != null && retryAfter.matches("\\d{1,5}")) {
            return Duration.ofSeconds(Long.parseLong(retryAfter));
        }
        Duration backoff = Duration.ofSeconds(1L << Math.min(failures, 5));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }
}
