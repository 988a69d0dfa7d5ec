package dev.embeddinggateway.api;

import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.pipeline.ClientRequest;
import dev.embeddinggateway.pipeline.EmbeddingsPipeline;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.usage.Work;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletionStage;

/** One {@code /v1/embeddings} request served, to the body OpenAI's API answers: over HTTP or as a batch line. */
@ApplicationScoped
public class EmbeddingsCalls {
    private final EmbeddingsPipeline pipeline;
    private final Int8Calibrations calibrations;

    public EmbeddingsCalls(EmbeddingsPipeline pipeline, Int8Calibrations calibrations) {
        this.pipeline = pipeline;
        this.calibrations = calibrations;
    }

    /**
     * @param work a client waiting on its answer, or the batch job the request is a line of
     */
    public CompletionStage<EmbeddingsResponse> serve(Caller caller, ClientRequest request, boolean useCache, Work work) {
        Route route = pipeline.route(caller, request.model());
        // Refused before any work is done or billed: a model with no int8 scale cannot take int8.
        Int8Calibrations.Scale scale = request.encoding().calibrated() ? calibrations.of(route) : null;
        return pipeline.embed(caller, route, request, useCache, work)
                .thenApply(served -> new EmbeddingsResponse(served, EmbeddingsJson.body(request, served, scale)));
    }
}
