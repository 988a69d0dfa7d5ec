package dev.embeddinggateway.limits;

import dev.embeddinggateway.config.RateLimitConfig;

import java.util.Optional;

/** Requests and tokens a minute that an API key or a provider instance may use; absent = unlimited. */
public record PerMinute(Optional<Long> requests, Optional<Long> tokens) {
    public static final PerMinute UNLIMITED = new PerMinute(Optional.empty(), Optional.empty());

    /**
     * The largest limit a minute: ten billion. A token bucket refills at most one a nanosecond (6e10 a minute), and
     * no client needs more; leave the limit out for none.
     */
    public static final long MAX = 10_000_000_000L;

    /**
     * A configured limit, checked at start.
     *
     * @param prefix its keys' prefix ({@code gateway.keys.<name>.rate-limit}), named when a value is out of range
     * @throws IllegalArgumentException for a limit below 1 or above {@link #MAX}
     */
    public static PerMinute of(RateLimitConfig configured, String prefix) {
        return new PerMinute(checked(configured.requestsPerMinute(), prefix + ".requests-per-minute"),
                checked(configured.tokensPerMinute(), prefix + ".tokens-per-minute"));
    }

    private static Optional<Long> checked(Optional<Long> limit, String key) {
        limit.filter(l -> !withinRange(l)).ifPresent(l -> {
            throw new IllegalArgumentException(key + " is " + l + ": a limit is between 1 and " + MAX
                    + " a minute; leave it out for none.");
        });
        return limit;
    }

    public static boolean withinRange(long perMinute) {
        return perMinute >= 1 && perMinute <= MAX;
    }

    public boolean isUnlimited() {
        return requests.isEmpty() && tokens.isEmpty();
    }
}
