package dev.embeddinggateway.auth;

import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;


/**
 * {@code Authorization: Bearer <key>} (or a JWT of the organization's identity provider) on /v1/* and /admin/*,
 * once any key exists or OIDC is on ({@link Authenticator}); 403 on /admin/* for a caller that is not admin.
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
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest connection) {
        String path = request.getUriInfo().getPath();
        String address = connection.remoteAddress().hostAddress();
        current.from(address);
        boolean admin = path.startsWith("/admin/");
        if (path.startsWith("/v1/") && warmUp.matches(request.getHeaderString(WarmUpPass.HEADER))) {
            current.set(Caller.WARM_UP);
            return Uni.createFrom().nullItem();
        }
        if (!admin && !path.startsWith("/v1/") || !authenticator.on() && !admin) {
            return Uni.createFrom().nullItem();
        }
        // A token's check may complete on another thread, outside this request's context: the bean itself is kept.
        CurrentCaller thisRequest = current.instance();
        return authenticator.callerOrSignedIn(request.getHeaderString("Authorization"), address).map(caller -> {
            if (admin && !caller.admin()) {
                throw Authenticator.refused(403, "This endpoint takes the admin key only.", "admin_key_required");
            }
            thisRequest.set(caller);
            return (Response) null;
        }).onFailure(ApiException.class).recoverWithItem(refused -> ApiExceptionMappers.toResponse((ApiException) refused));
    }
}
