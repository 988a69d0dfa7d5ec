package dev.embeddinggateway.auth;

import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * {@code Authorization: Bearer <key>} on /v1/* and /admin/*, once any key exists ({@link Authenticator}); 403 on
 * /admin/* for a key that is not the admin key.
 */
public class ApiKeyFilter {
    private final Authenticator authenticator;
    private final CurrentCaller current;
    private final WarmUpPass warmUp;

    public ApiKeyFilter(Authenticator authenticator, CurrentCaller current, WarmUpPass warmUp) {
        this.authenticator = authenticator;
        this.current = current;
        this.warmUp = warmUp;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, HttpServerRequest connection) {
        String path = request.getUriInfo().getPath();
        boolean admin = path.startsWith("/admin/");
        if (path.startsWith("/v1/") && warmUp.matches(request.getHeaderString(WarmUpPass.HEADER))) {
            current.set(Caller.WARM_UP);
            return Optional.empty();
        }
        if (!admin && !path.startsWith("/v1/") || !authenticator.on() && !admin) {
            return Optional.empty();
        }
        try {
            Caller caller = authenticator.caller(request.getHeaderString("Authorization"),
                    connection.remoteAddress().hostAddress());
            if (admin && !caller.admin()) {
                throw Authenticator.refused(403, "This endpoint takes the admin key only.", "admin_key_required");
            }
            current.set(caller);
            return Optional.empty();
        } catch (ApiException refused) {
            return Optional.of(ApiExceptionMappers.toResponse(refused));
        }
    }
}
