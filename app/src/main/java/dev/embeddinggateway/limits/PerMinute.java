package dev.embeddinggateway.limits;

import dev.embeddinggateway.config.RateLimitConfig;

import java.util.Optional;

/** Requests and tokens a minute that an API key or a provider instance may use; absent = unlimited. */
public record PerMinute(Optional<Long> requests, Optional<Long> tokens) {
    public static final PerMinute UNLIMITED = new PerMinute(Optional.empty(), Optional.empty());

    public static PerMinute of(RateLimitConfig configured) {
        return new PerMinute(configured.requestsPerMinute(), configured.tokensPerMinute());
    }

    public boolean isUnlimited() {
        return requests.isEmpty() && tokens.isEmpty();
    }
}
