package dev.embeddinggateway.core;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider failed: not the client's fault, so another provider of the same embedding space may succeed.
 * The message names the provider instance and never carries a secret.
 */
public final class ProviderFailedException extends ProviderException {

    /** What went wrong, as the client should hear it once no other provider could serve. */
    public enum Reason {
        /** Errors, resets, malformed answers: 502. */
        UNAVAILABLE,
        /** No answer in time: 504. */
        TIMEOUT,
        /** The upstream account's rate limit: 429, with the upstream's retry-after. */
        RATE_LIMITED,
        /** The upstream refused the gateway's credentials: 502 (the client's key is not at fault). */
        REJECTED_CREDENTIALS
    }

    private final Reason reason;
    private final Duration retryAfter;

    public ProviderFailedException(String message, Reason reason, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public ProviderFailedException(String message, Reason reason, Throwable cause) {
        this(message, reason, null, cause);
    }

    /**
     * An upstream answered something that is no valid answer (a wrong count or size, non-finite values, bad
     * JSON): never served, never cached, and the next provider of the model is tried.
     */
    public static ProviderFailedException malformed(String provider, String what) {
        return new ProviderFailedException("provider " + provider + " failed: the upstream's answer is malformed ("
                + what + ").", Reason.UNAVAILABLE, null);
    }

    public Reason reason() {
        return reason;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
