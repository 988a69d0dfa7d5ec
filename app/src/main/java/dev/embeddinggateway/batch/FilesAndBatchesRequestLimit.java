package dev.embeddinggateway.batch;

import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.ApiExceptionMappers;
import dev.embeddinggateway.pipeline.EmbeddingsPipeline;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Map;

/**
 * The caller's request limit on every {@code /v1/files} and {@code /v1/batches} call, one request each, as on
 * {@code /v1/embeddings}: over it, 429 with the same body and headers; within it, the same x-ratelimit-* headers.
 * After the caller is known ({@code ApiKeyFilter}).
 */
public class FilesAndBatchesRequestLimit {
    private static final String HEADERS = FilesAndBatchesRequestLimit.class.getName();
    private final EmbeddingsPipeline pipeline;
    private final CurrentCaller caller;

    public FilesAndBatchesRequestLimit(EmbeddingsPipeline pipeline, CurrentCaller caller) {
        this.pipeline = pipeline;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> admit(ContainerRequestContext request) {
        if (!limited(request.getUriInfo().getPath())) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().completionStage(pipeline.admitRequest(caller.get())).map(headers -> {
            request.setProperty(HEADERS, headers);
            return (Response) null;
        }).onFailure(ApiException.class).recoverWithItem(refused -> ApiExceptionMappers.toResponse((ApiException) refused));
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(HEADERS) instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> response.getHeaders().putSingle((String) name, value));
        }
    }

    private static boolean limited(String path) {
        return path.equals("/v1/files") || path.startsWith("/v1/files/")
                || path.equals("/v1/batches") || path.startsWith("/v1/batches/");
    }
}
