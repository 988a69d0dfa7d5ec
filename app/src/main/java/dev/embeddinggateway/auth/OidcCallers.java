package dev.embeddinggateway.auth;

import dev.embeddinggateway.config.GatewayConfig;
import dev.embeddinggateway.config.OidcConfig;
import dev.embeddinggateway.http.BoundedText;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * The longest subject or team claim taken (OpenID Connect caps the subject at 255 ASCII characters): kept as
     * sent in the ledger, the audit trail and as the owner of files and batches; a longer one is refused.
     */
    static final int MAX_CLAIM = 256;
    private final boolean on;
    private final Instance<TenantIdentityProvider> verifier;
    private final OidcConfig config;
    private final PerMinute ownLimit;
    private final Map<String, PerMinute> teamLimits = new HashMap<>();

    public OidcCallers(@ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> server,
                       @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean enabled,
                       Instance<TenantIdentityProvider> verifier, GatewayConfig config) {
        this.on = on(server, enabled);
        this.verifier = verifier;
        this.config = config.oidc();
        // Checked here, so that a limit out of range stops the start rather than every signed-in request.
        ownLimit = PerMinute.of(this.config.rateLimit(), "gateway.oidc.rate-limit");
        this.config.teams().forEach((team, shared) -> teamLimits.put(team,
                PerMinute.of(shared.rateLimit(), "gateway.oidc.teams.\"" + team + "\".rate-limit")));
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
        String subject = identity.getPrincipal().getName();
        refuseLong(subject, "sub");
        team.ifPresent(t -> refuseLong(t, config.teamClaim()));
        return member(ID_PREFIX + subject, team.orElse(ADMIN_TEAM), admin);
    }

    /**
     * The person a batch job runs as, from what their token gave when they created it (their id and team): their
     * team's shared limits and budget, or their own; empty for an owner that is not a signed-in person, or while
     * single sign-on is off.
     */
    public Optional<Caller> batchOwner(String keyId, String team) {
        if (!on || !keyId.startsWith(ID_PREFIX) || team == null) {
            return Optional.empty();
        }
        return Optional.of(member(keyId, team, false));
    }

    private Caller member(String id, String teamName, boolean admin) {
        OidcConfig.Team shared = config.teams().get(teamName);
        if (shared != null) {
            return new Caller(id, teamName, Optional.empty(), teamLimits.get(teamName), shared.budget().monthlyUsd(),
                    admin, TEAM_ACCOUNT_PREFIX + teamName);
        }
        return new Caller(id, teamName, Optional.empty(), ownLimit, config.budget().monthlyUsd(),
                admin);
    }

    private static void refuseLong(String claim, String name) {
        if (!BoundedText.fits(claim, MAX_CLAIM)) {
            throw Authenticator.refused(401, "The identity provider's token has a '" + name + "' claim of "
                    + claim.length() + " characters, or with U+0000: the gateway takes at most " + MAX_CLAIM + ".",
                    "claim_too_long");
        }
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
