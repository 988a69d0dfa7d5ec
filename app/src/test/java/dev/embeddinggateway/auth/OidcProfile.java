package dev.embeddinggateway.auth;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The gateway with single sign-on: tokens of {@link FakeIdentityProvider}, next to one API key. */
public class OidcProfile implements QuarkusTestProfile {
    static final String ADMIN_GROUP = "gateway-admins";
    static final String KEY = "sk-oidc-profile-key";
    /** A team whose members share one limit (its name is new every run: limits outlive a minute's test run). */
    static final String SHARED_TEAM = "shared-" + KeysProfile.RUN;
    static final int SHARED_LIMIT = 10;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.oidc.team-claim", "groups", "gateway.oidc.admin-group", ADMIN_GROUP,
                "gateway.oidc.rate-limit.requests-per-minute", "1000",
                "gateway.oidc.teams." + SHARED_TEAM + ".rate-limit.requests-per-minute", String.valueOf(SHARED_LIMIT),
                "gateway.keys.oidc-profile-" + KeysProfile.RUN + ".sha256", Sha256.hex(KEY),
                "gateway.keys.oidc-profile-" + KeysProfile.RUN + ".team", "keyed");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeIdentityProvider.class));
    }
}
