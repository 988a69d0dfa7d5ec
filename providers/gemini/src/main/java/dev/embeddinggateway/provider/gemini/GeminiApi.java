package dev.embeddinggateway.provider.gemini;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Google's Gemini API, {@code batchEmbedContents}. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface GeminiApi {

    record BatchRequest(List<EmbedRequest> requests) {
    }

    /**
     * @param model                {@code models/<id>}
     * @param taskType             {@code RETRIEVAL_QUERY}, {@code RETRIEVAL_DOCUMENT}, ...; null for none
     * @param outputDimensionality null for the native size
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbedRequest(String model, Content content, String taskType, Integer outputDimensionality) {
    }

    record Content(List<Part> parts) {
    }

    record Part(String text) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BatchResponse(List<Values> embeddings) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Values(float[] values) {
    }

    @POST
    @Path("models/{model}:batchEmbedContents")
    CompletionStage<BatchResponse> batchEmbed(@PathParam("model") String model, BatchRequest request);
}
