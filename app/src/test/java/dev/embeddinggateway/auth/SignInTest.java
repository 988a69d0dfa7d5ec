package dev.embeddinggateway.auth;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

/**
 * A person signs in to the dashboard through the identity provider: /sso/login runs the authorization-code flow
 * (a browser following redirects, with cookies), and the page it ends on hands the tab a token that the API takes
 * as the person, of the person's team.
 */
@QuarkusTest
@Tag("slow") // its own application, in hybrid mode, for the sign-in flow
@TestProfile(SignInTest.Hybrid.class)
class SignInTest {
    @TestHTTPResource("/sso/login")
    URI login;

    public static class Hybrid extends OidcProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("quarkus.oidc.application-type", "hybrid");
            config.put("quarkus.oidc.client-id", FakeIdentityProvider.AUDIENCE);
            config.put("quarkus.oidc.credentials.secret", "client-secret");
            return config;
        }
    }

    @Test
    void theCodeFlowEndsWithATokenTheApiTakesAsThePerson() throws Exception {
        given().get("/sso/config").then().statusCode(200).body("sign_in", equalTo(true));
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS)
                .cookieHandler(new CookieManager()).build();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(login).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("cache-control")).contains("no-store");
        Matcher handed = Pattern.compile("sessionStorage.setItem\\('gateway-key', '([A-Za-z0-9_.-]+)'\\)").matcher(page.body());
        assertThat(handed.find()).as(page.body()).isTrue();
        String token = handed.group(1);

        given().header("Authorization", "Bearer " + token).get("/v1/usage?group_by=team").then().statusCode(200)
                .body("data.team", everyItem(equalTo("docs")));
        given().header("Authorization", "Bearer " + token).get("/admin/keys").then().statusCode(403);
    }

    @Test
    void withoutTheFlowThereIsNoToken() {
        // Not following the redirect: the provider is where the page sends the browser first.
        given().redirects().follow(false).get("/sso/login").then().statusCode(302)
                .header("location", org.hamcrest.Matchers.startsWith(FakeIdentityProvider.issuer()
                        + "/protocol/openid-connect/auth"));
    }
}
