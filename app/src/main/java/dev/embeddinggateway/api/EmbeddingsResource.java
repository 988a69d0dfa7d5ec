package dev.embeddinggateway.api;

import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.http.UnmatchedRequests;
import dev.embeddinggateway.pipeline.ClientRequest;
import dev.embeddinggateway.pipeline.EmbeddingsPipeline;
import dev.embeddinggateway.routing.Served;
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

/** {@code POST /v1/embeddings}, as OpenAI's API defines it: HTTP in and out of the {@link EmbeddingsPipeline}. */
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final EmbeddingsPipeline pipeline;
    private final CurrentCaller currentCaller;
    private final UnmatchedRequests bodies;
    private final Int8Calibrations calibrations;

    public EmbeddingsResource(EmbeddingsPipeline pipeline, CurrentCaller currentCaller, UnmatchedRequests bodies,
                              Int8Calibrations calibrations) {
        this.pipeline = pipeline;
        this.currentCaller = currentCaller;
        this.bodies = bodies;
        this.calibrations = calibrations;
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
        ClientRequest request = EmbeddingsJson.parse(bodies.read(body));
        boolean useCache = cacheControl == null || !cacheControl.toLowerCase(Locale.ROOT).contains("no-store");
        Caller caller = currentCaller.get();
        // Refused before any work is done or billed: a model with no int8 scale cannot take int8.
        Int8Calibrations.Scale scale = request.encoding().calibrated()
                ? calibrations.of(pipeline.route(caller, request.model())) : null;
        return pipeline.embed(caller, request, useCache).thenApply(answer -> {
            Served served = answer.served();
            Response.ResponseBuilder response = Response.ok(EmbeddingsJson.body(request, answer, scale))
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
