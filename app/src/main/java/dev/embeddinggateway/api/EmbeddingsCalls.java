package dev.embeddinggateway.api;

import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.pipeline.Answer;
import dev.embeddinggateway.pipeline.ClientRequest;
import dev.embeddinggateway.pipeline.EmbeddingsPipeline;
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

    /** The answer, and the JSON body that tells it. */
    public record Reply(Answer answer, Object body) {
    }

    /**
     * @param batchId the batch job the request is a line of; {@code UsageRow.INTERACTIVE} for a client waiting
     */
    public CompletionStage<Reply> serve(Caller caller, ClientRequest request, boolean useCache, String batchId) {
        // Refused before any work is done or billed: a model with no int8 scale cannot take int8.
        Int8Calibrations.Scale scale = request.encoding().calibrated()
                ? calibrations.of(pipeline.route(caller, request.model())) : null;
        return pipeline.embed(caller, request, useCache, batchId)
                .thenApply(answer -> new Reply(answer, EmbeddingsJson.body(request, answer, scale)));
    }
}
