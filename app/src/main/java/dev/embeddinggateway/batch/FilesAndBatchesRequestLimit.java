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
 * After the caller is known ({@code ApiKeyFilter}); bound to the two resources by {@link RequestLimited}.
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
    @RequestLimited
    public Uni<Response> admit(ContainerRequestContext request) {
        return Uni.createFrom().completionStage(pipeline.admitRequest(caller.get())).map(headers -> {
            request.setProperty(HEADERS, headers);
            return (Response) null;
        }).onFailure(ApiException.class).recoverWithItem(refused -> ApiExceptionMappers.toResponse((ApiException) refused));
    }

    @ServerResponseFilter
    @RequestLimited
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(HEADERS) instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> response.getHeaders().putSingle((String) name, value));
        }
    }
}
