package dev.embeddinggateway.auth;

import dev.embeddinggateway.api.ApiError;
import dev.embeddinggateway.api.ApiException;
import dev.embeddinggateway.api.ApiExceptionMappers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * {@code Authorization: Bearer <key>} on /v1/* and /admin/*, once any key exists: 401
 * {@code invalid_api_key} without a known key, 403 on /admin/* for a key that is not the admin key.
 */
public class ApiKeyFilter {
    private final KeyRegistry keys;
    private final CurrentCaller current;

    public ApiKeyFilter(KeyRegistry keys, CurrentCaller current) {
        this.keys = keys;
        this.current = current;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean admin = path.startsWith("/admin/");
        if (!admin && !path.startsWith("/v1/") || !keys.authenticationOn() && !admin) {
            return Optional.empty();
        }
        String header = request.getHeaderString("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        Optional<Caller> caller = presented.isEmpty() ? Optional.empty() : keys.authenticate(presented);
        if (caller.isEmpty()) {
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
