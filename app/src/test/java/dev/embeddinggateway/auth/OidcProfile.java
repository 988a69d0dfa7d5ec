package dev.embeddinggateway.auth;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The gateway with single sign-on: tokens of {@link FakeIdentityProvider}, next to one API key. */
public class OidcProfile implements QuarkusTestProfile {
    static final String ADMIN_GROUP = "gateway-admins";
    static final String KEY = "sk-oidc-profile-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.oidc.team-claim", "groups", "gateway.oidc.admin-group", ADMIN_GROUP,
                "gateway.oidc.rate-limit.requests-per-minute", "1000",
                "gateway.keys.oidc-profile-" + KeysProfile.RUN + ".sha256", Sha256.hex(KEY),
                "gateway.keys.oidc-profile-" + KeysProfile.RUN + ".team", "keyed");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeIdentityProvider.class));
    }
}
