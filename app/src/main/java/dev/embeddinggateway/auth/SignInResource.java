package dev.embeddinggateway.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.Authenticated;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Signing a person in to the dashboard and the admin page through the organization's identity provider: Quarkus
 * OIDC runs the authorization-code flow (with {@code quarkus.oidc.application-type=hybrid}: bearer tokens for the
 * API, the code flow for this page), then the page hands the access token to the browser tab, which sends it as its
 * bearer as it would a key ({@link OidcCallers} checks it on every call).
 */
@Path("/sso")
public class SignInResource {
    /** A JWT: three base64url parts. Nothing else is ever written into the page. */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private final boolean signIn;
    private final Instance<AccessTokenCredential> token;

    public SignInResource(OidcCallers oidc, Instance<AccessTokenCredential> token,
                          @ConfigProperty(name = "quarkus.oidc.application-type", defaultValue = "service") String type) {
        this.signIn = oidc.on() && !type.equalsIgnoreCase("service");
        this.token = token;
    }

    /** Whether the pages offer to sign in through the identity provider. */
    @GET
    @Path("/config")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Boolean> config() {
        return Map.of("sign_in", signIn);
    }

    @GET
    @Path("/login")
    @Authenticated
    @Produces(MediaType.TEXT_HTML)
    public Response login() {
        String jwt = token.get().getToken();
        if (!signIn || !JWT.matcher(jwt).matches()) {
            return Response.status(404).entity("Single sign-on is off.").type(MediaType.TEXT_PLAIN).build();
        }
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed in</title></head><body>"
                + "<script>sessionStorage.setItem('gateway-key', '" + jwt + "'); location.replace('/');</script>"
                + "<noscript>Signed in: the dashboard needs JavaScript.</noscript></body></html>";
        // Neither the page nor the token is kept by a cache on the way.
        return Response.ok(page).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
