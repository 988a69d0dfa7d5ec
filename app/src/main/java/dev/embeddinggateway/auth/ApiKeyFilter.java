package dev.embeddinggateway.auth;

import dev.embeddinggateway.http.ApiError;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <key>} on /v1/* and /admin/*, once any key exists: 401
 * {@code invalid_api_key} without a known key, 403 on /admin/* for a key that is not the admin key; 429 for
 * an address that failed too often (see {@link FailedAuthLimiter}).
 */
public class ApiKeyFilter {
    private final KeyRegistry keys;
    private final CurrentCaller current;
    private final FailedAuthLimiter failures;

    public ApiKeyFilter(KeyRegistry keys, CurrentCaller current, FailedAuthLimiter failures) {
        this.keys = keys;
        this.current = current;
        this.failures = failures;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, HttpServerRequest connection) {
        String path = request.getUriInfo().getPath();
        boolean admin = path.startsWith("/admin/");
        if (!admin && !path.startsWith("/v1/") || !keys.authenticationOn() && !admin) {
            return Optional.empty();
        }
        // The client's address (or, behind a proxy trusted with quarkus.http.proxy.*, the address it forwards).
        String address = connection.remoteAddress().hostAddress();
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            return Optional.of(ApiExceptionMappers.toResponse(new ApiException(429, new ApiError(
                    "Too many failed authentication attempts from this address. Retry later.", "requests", null,
                    "rate_limit_exceeded"), Map.of("retry-after", ApiExceptionMappers.retryAfterSeconds(blocked.get())))));
        }
        String header = request.getHeaderString("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        Optional<Caller> caller = presented.isEmpty() ? Optional.empty() : keys.authenticate(presented);
        if (caller.isEmpty()) {
            failures.failed(address);
            return Optional.of(error(401, presented.isEmpty()
                    ? "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'."
                    : "Incorrect API key provided.", "invalid_api_key"));
        }
        if (admin && !caller.get().admin()) {
            return Optional.of(error(403, "This endpoint takes the admin key only.", "admin_key_required"));
        }
        current.set(caller.get());
        return Optional.empty();
    }

    private static Response error(int status, String message, String code) {
        return ApiExceptionMappers.toResponse(new ApiException(status, new ApiError(message, ApiError.INVALID_REQUEST, null, code)));
    }
}
