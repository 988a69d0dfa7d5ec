package dev.embeddinggateway.auth;

import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import dev.embeddinggateway.http.LogText;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Whose the bearer key of a request is: 401 {@code invalid_api_key} without a known key, and 429 for a client
 * address that failed too often (see {@link FailedAuthLimiter}), whatever key it sends then.
 */
@ApplicationScoped
public class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private final KeyRegistry keys;
    private final FailedAuthLimiter failures;
    private final OidcCallers oidc;

    public Authenticator(KeyRegistry keys, FailedAuthLimiter failures, OidcCallers oidc) {
        this.keys = keys;
        this.failures = failures;
        this.oidc = oidc;
    }

    /** On as soon as any key exists or OIDC is configured; while off, the gateway is open. */
    public boolean on() {
        return keys.authenticationOn() || oidc.on();
    }

    /**
     * @param authorization the request's {@code Authorization} header; may be null
     * @param address       the client's address (or, behind a proxy trusted with quarkus.http.proxy.*, the
     *                      address it forwards)
     * @throws ApiException 401 or 429
     */
    public Caller caller(String authorization, String address) {
        refuseBlocked(address);
        String presented = bearer(authorization);
        return keyCaller(presented).orElseThrow(() -> failed(presented, address));
    }

    /**
     * As {@link #caller}, and a bearer JWT from the organization's identity provider is taken too when OIDC is on
     * ({@link OidcCallers}): checking one may fetch the provider's keys, hence the Uni.
     */
    public Uni<Caller> callerOrSignedIn(String authorization, String address) {
        try {
            refuseBlocked(address);
            String presented = bearer(authorization);
            Optional<Caller> keyed = keyCaller(presented);
            if (keyed.isPresent() || !oidc.mayVerify(presented)) {
                return Uni.createFrom().item(keyed.orElseThrow(() -> failed(presented, address)));
            }
            return oidc.caller(presented).onFailure(e -> !(e instanceof ApiException)).transform(e -> {
                failures.failed(address);
                LOG.debugf("bearer token refused from %s: %s", LogText.escaped(address), LogText.escaped(e.getMessage()));
                return refused(401, "The bearer token was refused: it is not a valid token of the organization's "
                        + "identity provider (signature, issuer, audience or expiry).", "invalid_api_key");
            });
        } catch (ApiException refused) {
            return Uni.createFrom().failure(refused);
        }
    }

    private void refuseBlocked(String address) {
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            throw new ApiException(429, new ApiError("Too many failed authentication attempts from this address. "
                    + "Retry later.", "requests", null, "rate_limit_exceeded"),
                    Map.of("retry-after", ApiExceptionMappers.retryAfterSeconds(blocked.get())));
        }
    }

    private Optional<Caller> keyCaller(String presented) {
        return presented.isEmpty() ? Optional.empty() : keys.authenticate(presented);
    }

    private ApiException failed(String presented, String address) {
        failures.failed(address);
        return refused(401, presented.isEmpty()
                ? "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'."
                : "Incorrect API key provided.", "invalid_api_key");
    }

    /** The key of an {@code Authorization: Bearer <key>} header; empty for any other header, or none. */
    static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
    }

    static ApiException refused(int status, String message, String code) {
        return new ApiException(status, new ApiError(message, ApiError.INVALID_REQUEST, null, code));
    }
}
