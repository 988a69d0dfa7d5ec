package dev.embeddinggateway.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Single sign-on is on with both of its keys, off with neither; one without the other stops the start, saying why. */
class SingleSignOnSwitchTest {
    private static final Optional<String> ISSUER = Optional.of("https://sso.example.com/realms/acme");

    @Test
    void bothKeysTurnItOnNeitherLeavesItOff() {
        assertThat(OidcCallers.on(ISSUER, true)).isTrue();
        assertThat(OidcCallers.on(Optional.empty(), false)).isFalse();
    }

    @Test
    void anIssuerWithoutTenantEnabledStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> OidcCallers.on(ISSUER, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.oidc.tenant-enabled=true").hasMessageContaining(ISSUER.get());
    }

    @Test
    void tenantEnabledWithoutAnIssuerStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> OidcCallers.on(Optional.empty(), true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.oidc.auth-server-url");
    }
}
