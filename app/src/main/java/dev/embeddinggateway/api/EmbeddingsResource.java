package dev.embeddinggateway.api;

import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.http.BodySizeLimit;
import dev.embeddinggateway.pipeline.ClientRequest;
import dev.embeddinggateway.pipeline.ServedRequest;
import dev.embeddinggateway.routing.ProviderResult;
import dev.embeddinggateway.usage.Work;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/embeddings}, as OpenAI's API defines it: HTTP in and out of the request pipeline. */
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final EmbeddingsCalls calls;
    private final CurrentCaller currentCaller;
    private final BodySizeLimit bodies;

    public EmbeddingsResource(EmbeddingsCalls calls, CurrentCaller currentCaller, BodySizeLimit bodies) {
        this.calls = calls;
        this.currentCaller = currentCaller;
        this.bodies = bodies;
    }

    /**
     * Runs on a worker thread (parsing, token counting and the budget's ledger read are work), and returns as
     * soon as the request is on its way: no thread waits for the provider.
     */
    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> embed(InputStream body, @HeaderParam("cache-control") String cacheControl)
            throws IOException {
        ClientRequest request = EmbeddingsJson.parse(bodies.readWithinLimit(body));
        boolean useCache = cacheControl == null || !cacheControl.toLowerCase(Locale.ROOT).contains("no-store");
        return calls.serve(currentCaller.get(), request, useCache, Work.INTERACTIVE).thenApply(reply -> {
            ServedRequest answer = reply.served();
            ProviderResult served = answer.provided();
            Response.ResponseBuilder response = Response.ok(reply.body())
                    .header("x-gateway-provider", served.provider())
                    .header("x-cache-hits", served.cacheHits())
                    .header("x-cache-misses", served.result().embeddings().size() - served.cacheHits())
                    .header("x-gateway-cost-usd", answer.costUsd().toPlainString());
            if (served.truncatedInputs() > 0) {
                response.header("x-gateway-truncated-inputs", served.truncatedInputs());
            }
            answer.rateLimitHeaders().forEach(response::header);
            return response.build();
        });
    }
}
