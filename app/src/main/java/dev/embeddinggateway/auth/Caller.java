package dev.embeddinggateway.auth;

import dev.embeddinggateway.limits.PerMinute;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * Who is asking: an API key's id and team, what it may use, and its limits.
 *
 * @param keyId   the key's id: a configured key's name, or a stored key's id, or {@code oidc:<subject>}; never the key
 * @param models  the models it may use; empty = all
 * @param account whose rate limits and budget its requests count against: its own id, or for people signed in
 *                through the identity provider whose team has an allotment, the team's ({@code oidc-team:<team>})
 */
public record Caller(String keyId, String team, Optional<Set<String>> models, PerMinute rateLimit,
                     Optional<BigDecimal> monthlyBudgetUsd, boolean admin, String account) {

    /** A caller with limits and a budget of its own. */
    public Caller(String keyId, String team, Optional<Set<String>> models, PerMinute rateLimit,
                  Optional<BigDecimal> monthlyBudgetUsd, boolean admin) {
        this(keyId, team, models, rateLimit, monthlyBudgetUsd, admin, keyId);
    }

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

    /** Whose limit or budget a refusal names: the key, or the team that shares one. */
    public String accountName() {
        return account.equals(keyId) ? "key " + keyId : "team " + team + " (shared by its members)";
    }

    public boolean mayUse(String model) {
        return models.map(m -> m.contains(model)).orElse(true);
    }

    /** Whether serving this caller needs its requests' tokens counted before the call (token limit, budget). */
    public boolean countsTokens() {
        return rateLimit.tokens().isPresent() || monthlyBudgetUsd.isPresent();
    }
}
