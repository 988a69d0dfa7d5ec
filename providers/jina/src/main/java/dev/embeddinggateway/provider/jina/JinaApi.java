package dev.embeddinggateway.provider.jina;

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

/** Jina AI's embeddings API, the parts the gateway uses. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface JinaApi {

    /**
     * @param task       {@code retrieval.query}, {@code retrieval.passage}, {@code classification}, {@code separation};
     *                   null for none
     * @param dimensions null for the model's native size
     * @param truncate   false: Jina refuses input over the model's context
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbedRequest(String model, List<String> input, String task, Integer dimensions, boolean truncate,
                        @JsonProperty("embedding_type") String embeddingType) {
    }

    @POST
    @Path("embeddings")
    CompletionStage<IndexedEmbeddings> embed(EmbedRequest request);
}
