package dev.embeddinggateway.auth;

import dev.embeddinggateway.limits.PerMinute;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking: an API key's id and team, what it may use, and its limits.
 *
 * @param keyId  the key's id: a configured key's name, or a stored key's id; never the key
 * @param models the models it may use; empty = all
 */
public record Caller(String keyId, String team, Optional<Set<String>> models, PerMinute rateLimit,
                     Optional<BigDecimal> monthlyBudgetUsd, boolean admin) {

    /** Every caller while no key exists: the gateway is open. */
    public static final Caller ANONYMOUS = new Caller("anonymous", "anonymous", Optional.empty(), PerMinute.UNLIMITED,
            Optional.empty(), false);

    /** The replica itself, warming its request path before it reports ready ({@link WarmUpPass}). */
    public static final Caller WARM_UP = new Caller("warm-up", "warm-up", Optional.empty(), PerMinute.UNLIMITED,
            Optional.empty(), false);

    static Caller administrator() {
        return new Caller("admin", "admin", Optional.empty(), PerMinute.UNLIMITED, Optional.empty(), true);
    }

    /** Whether what this caller is served goes into the ledger and the usage meters. */
    public boolean recorded() {
        return !equals(WARM_UP);
    }

    public boolean mayUse(String model) {
        return models.map(m -> m.contains(model)).orElse(true);
    }

    /** Whether serving this caller needs its requests' tokens counted before the call (token limit, budget). */
    public boolean countsTokens() {
        return rateLimit.tokens().isPresent() || monthlyBudgetUsd.isPresent();
    }
}
