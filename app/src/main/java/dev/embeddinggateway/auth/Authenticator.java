package dev.embeddinggateway.auth;

import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Whose the bearer key of a request is: 401 {@code invalid_api_key} without a known key, and 429 for a client
 * address that failed too often (see {@link FailedAuthLimiter}), whatever key it sends then.
 */
@ApplicationScoped
public class Authenticator {
    private final KeyRegistry keys;
    private final FailedAuthLimiter failures;

    public Authenticator(KeyRegistry keys, FailedAuthLimiter failures) {
        this.keys = keys;
        this.failures = failures;
    }

    /** On as soon as any key exists; while off, the gateway is open. */
    public boolean on() {
        return keys.authenticationOn();
    }

    /**
     * @param authorization the request's {@code Authorization} header; may be null
     * @param address       the client's address (or, behind a proxy trusted with quarkus.http.proxy.*, the
     *                      address it forwards)
     * @throws ApiException 401 or 429
     */
    public Caller caller(String authorization, String address) {
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            throw new ApiException(429, new ApiError("Too many failed authentication attempts from this address. "
                    + "Retry later.", "requests", null, "rate_limit_exceeded"),
                    Map.of("retry-after", ApiExceptionMappers.retryAfterSeconds(blocked.get())));
        }
        String presented = bearer(authorization);
        Optional<Caller> caller = presented.isEmpty() ? Optional.empty() : keys.authenticate(presented);
        if (caller.isEmpty()) {
            failures.failed(address);
            throw refused(401, presented.isEmpty()
                    ? "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'."
                    : "Incorrect API key provided.", "invalid_api_key");
        }
        return caller.get();
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
