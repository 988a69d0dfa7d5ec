package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;

/**
 * People and services signed in through the organization's identity provider: a bearer JWT checked by Quarkus
 * OIDC ({@code quarkus.oidc.*}: issuer, audience, signature against its JWKS, expiry), next to API keys.
 */
public interface OidcConfig {
    /**
     * The claim that names the caller's team: a string, or an array (such as {@code groups}) whose first entry
     * other than the admin group is taken.
     */
    @WithDefault("team")
    String teamClaim();

    /** The group or role (as {@code quarkus.oidc.roles.*} reads them, {@code groups} by default) that is admin. */
    Optional<String> adminGroup();

    /** Each signed-in subject's limits, as a key's. */
    RateLimitConfig rateLimit();

    /** Each signed-in subject's budget, as a key's. */
    BudgetConfig budget();

    /**
     * Teams whose signed-in members share one allotment, by the team's name (as the team claim gives it):
     * instead of each member's own limits and budget above, the team's, counted once for all of them.
     */
    Map<String, Team> teams();

    interface Team {
        RateLimitConfig rateLimit();

        BudgetConfig budget();
    }
}
