package dev.embeddinggateway.auth;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * An organization's identity provider, faked at the HTTP level: OIDC discovery and a JWKS with one RSA key; the
 * tests sign their tokens with it (or with another key, which the JWKS does not hold).
 */
public class FakeIdentityProvider implements QuarkusTestResourceLifecycleManager {
    static final String AUDIENCE = "embedding-gateway";
    static final String KEY_ID = "org-key-1";
    static final KeyPair SIGNING = rsa();
    static final KeyPair STRANGER = rsa();
    static final String USER = "carol";
    private static final WireMockServer SERVER = new WireMockServer(options().dynamicPort().globalTemplating(true));

    static String issuer() {
        return SERVER.baseUrl() + "/realms/org";
    }

    @Override
    public Map<String, String> start() {
        SERVER.start();
        SERVER.stubFor(get("/realms/org/.well-known/openid-configuration").willReturn(okJson("{\"issuer\":\"" + issuer()
                + "\",\"jwks_uri\":\"" + issuer() + "/protocol/openid-connect/certs\",\"authorization_endpoint\":\""
                + issuer() + "/protocol/openid-connect/auth\",\"token_endpoint\":\"" + issuer()
                + "/protocol/openid-connect/token\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}")));
        RSAPublicKey key = (RSAPublicKey) SIGNING.getPublic();
        SERVER.stubFor(get("/realms/org/protocol/openid-connect/certs").willReturn(okJson("{\"keys\":[{\"kty\":\"RSA\","
                + "\"kid\":\"" + KEY_ID + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" + base64url(key.getModulus())
                + "\",\"e\":\"" + base64url(key.getPublicExponent()) + "\"}]}")));
        // The authorization-code flow: the person is signed in at once (the provider's login page is not the
        // gateway's to test), the browser goes back with a code, and the code buys tokens for USER.
        SERVER.stubFor(get(urlPathEqualTo("/realms/org/protocol/openid-connect/auth")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "{{request.query.redirect_uri}}?code=the-code&state={{urlEncode request.query.state}}")));
        String idToken = signed(claims(USER).audience(AUDIENCE).claim("groups", List.of("docs")));
        String accessToken = signed(claims(USER).claim("groups", List.of("docs")));
        SERVER.stubFor(post("/realms/org/protocol/openid-connect/token").withRequestBody(containing("code=the-code"))
                .willReturn(okJson("{\"access_token\":\"" + accessToken + "\",\"id_token\":\"" + idToken
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        return Map.of("quarkus.oidc.tenant-enabled", "true", "quarkus.oidc.auth-server-url", issuer(),
                "quarkus.oidc.token.audience", AUDIENCE);
    }

    @Override
    public void stop() {
        SERVER.stop();
    }

    /** A token's claims as the organization's provider issues them: this issuer and audience, valid for five minutes. */
    static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(issuer()).audience(AUDIENCE).subject(subject).issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300));
    }

    static String signed(JwtClaimsBuilder claims) {
        return sign(claims, SIGNING.getPrivate());
    }

    static String sign(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.jws().keyId(KEY_ID).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(key);
    }

    private static String base64url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes[0] == 0 ? 1 : 0; // the sign byte is not part of a JWK's unsigned integer
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
