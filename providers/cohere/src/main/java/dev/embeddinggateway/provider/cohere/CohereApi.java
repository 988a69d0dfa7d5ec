package dev.embeddinggateway.provider.cohere;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Cohere's v2 embed API, the parts the gateway uses. */
@Path("/v2")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CohereApi {

    /**
     * @param inputType       {@code search_query}, {@code search_document}, {@code classification}, {@code clustering}
     * @param truncate        {@code END} (cut long input) or {@code NONE} (refuse it)
     * @param outputDimension null for the model's native size
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbedRequest(String model, List<String> texts, @JsonProperty("input_type") String inputType,
                        @JsonProperty("embedding_types") List<String> embeddingTypes, String truncate,
                        @JsonProperty("output_dimension") Integer outputDimension) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EmbedResponse(Embeddings embeddings, Meta meta) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Embeddings(@JsonProperty("float") List<float[]> floats) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Meta(@JsonProperty("billed_units") BilledUnits billedUnits) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BilledUnits(@JsonProperty("input_tokens") Integer inputTokens) {
    }

    @POST
    @Path("embed")
    CompletionStage<EmbedResponse> embed(EmbedRequest request);
}
