package dev.embeddinggateway.provider.voyage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.embeddinggateway.provider.rest.IndexedEmbeddings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Voyage AI's embeddings API, the parts the gateway uses. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface VoyageApi {

    /**
     * @param inputType       {@code query}, {@code document}, or null (the text as it is)
     * @param truncation      false: Voyage refuses input over the model's context
     * @param outputDimension null for the model's default size
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbedRequest(List<String> input, String model, @JsonProperty("input_type") String inputType,
                        boolean truncation, @JsonProperty("output_dimension") Integer outputDimension) {
    }

    @POST
    @Path("embeddings")
    CompletionStage<IndexedEmbeddings> embed(EmbedRequest request);
}
