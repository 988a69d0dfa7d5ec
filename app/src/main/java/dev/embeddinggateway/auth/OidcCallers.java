package dev.embeddinggateway.auth;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.config.OidcConfig;
import dev.embeddinggateway.limits.PerMinute;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Callers signed in through the organization's identity provider: a bearer JWT, verified by Quarkus OIDC's default
 * tenant (discovery, JWKS, issuer, audience, expiry; an unsigned token is refused there), becomes a {@link Caller}
 * whose id is {@code oidc:<subject>}, whose team is {@code gateway.oidc.team-claim} and who is admin with
 * {@code gateway.oidc.admin-group}; limits and budget are the team's shared ones ({@code gateway.oidc.teams.*})
 * or else each subject's own. On with {@code quarkus.oidc.tenant-enabled=true} and {@code quarkus.oidc.auth-server-url}.
 */
@Startup
@ApplicationScoped
public class OidcCallers {
    private static final Logger LOG = Logger.getLogger(OidcCallers.class);
    static final String ID_PREFIX = "oidc:";
    static final String TEAM_ACCOUNT_PREFIX = "oidc-team:";
    private static final String ADMIN_TEAM = "admin";
    private final boolean on;
    private final Instance<TenantIdentityProvider> verifier;
    private final OidcConfig config;

    public OidcCallers(@ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> server,
                       @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean enabled,
                       Instance<TenantIdentityProvider> verifier, GatewayConfig config) {
        this.on = on(server, enabled);
        this.verifier = verifier;
        this.config = config.oidc();
        LOG.info(on ? "Single sign-on: bearer JWTs of " + server.get() + " are taken beside API keys; team from claim '"
                + this.config.teamClaim() + "', admin group " + this.config.adminGroup().orElse("none") + ", "
                + this.config.teams().size() + " team(s) with a shared allotment"
                : "Single sign-on: off (quarkus.oidc.tenant-enabled, quarkus.oidc.auth-server-url)");
    }

    /**
     * Whether single sign-on is on: with both keys set. One without the other is a half-made configuration that would
     * refuse every token as an unknown API key without a word, so it stops the start, naming the key to set.
     */
    static boolean on(Optional<String> server, boolean enabled) {
        if (server.isPresent() && !enabled) {
            throw new IllegalStateException("quarkus.oidc.auth-server-url is set (" + server.get() + ") but "
                    + "quarkus.oidc.tenant-enabled is false: set quarkus.oidc.tenant-enabled=true to turn single sign-on "
                    + "on, or remove quarkus.oidc.auth-server-url to leave it off.");
        }
        if (enabled && server.isEmpty()) {
            throw new IllegalStateException("quarkus.oidc.tenant-enabled is true but quarkus.oidc.auth-server-url is not "
                    + "set: set it to the identity provider's issuer URL, or set quarkus.oidc.tenant-enabled=false.");
        }
        return enabled;
    }

    public boolean on() {
        return on;
    }

    /** Whether a presented bearer could be a JWT for the identity provider (three dot-separated parts). */
    boolean mayVerify(String presented) {
        return on && presented.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The caller a token belongs to.
     *
     * @return fails with Quarkus's AuthenticationFailedException for a token the provider did not issue, or an
     * expired one; with a 403 {@code team_claim_missing} for a valid token without a team
     */
    Uni<Caller> caller(String token) {
        return verifier.get().authenticate(new AccessTokenCredential(token)).map(this::caller);
    }

    private Caller caller(SecurityIdentity identity) {
        JsonWebToken token = (JsonWebToken) identity.getPrincipal();
        boolean admin = config.adminGroup().map(identity::hasRole).orElse(false);
        Optional<String> team = team(token.getClaim(config.teamClaim()));
        if (team.isEmpty() && !admin) {
            throw Authenticator.refused(403, "The identity provider's token names no team: it has no '"
                    + config.teamClaim() + "' claim (gateway.oidc.team-claim).", "team_claim_missing");
        }
        String id = ID_PREFIX + identity.getPrincipal().getName();
        String teamName = team.orElse(ADMIN_TEAM);
        OidcConfig.Team shared = config.teams().get(teamName);
        if (shared != null) {
            return new Caller(id, teamName, Optional.empty(), PerMinute.of(shared.rateLimit()), shared.budget().monthlyUsd(),
                    admin, TEAM_ACCOUNT_PREFIX + teamName);
        }
        return new Caller(id, teamName, Optional.empty(), PerMinute.of(config.rateLimit()), config.budget().monthlyUsd(),
                admin);
    }

    /** The first non-blank string of the claim that is not the admin group. */
    private Optional<String> team(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            array.forEach(v -> values.add(text(v)));
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(text(v)));
        } else if (claim != null) {
            values.add(text(claim));
        }
        return values.stream().filter(v -> v != null && !v.isBlank())
                .filter(v -> config.adminGroup().map(g -> !g.equals(v)).orElse(true)).findFirst();
    }

    private static String text(Object value) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        return value instanceof JsonValue || value == null ? null : value.toString();
    }
}
