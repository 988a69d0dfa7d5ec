package dev.embeddinggateway.provider.tei;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** text-embeddings-inference's native API, the parts the gateway uses. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface TeiApi {

    /** The served model: id, longest input, largest batch a client may send. */
    record Info(@JsonProperty("model_id") String modelId, @JsonProperty("model_sha") String modelSha,
                @JsonProperty("max_input_length") int maxInputLength,
                @JsonProperty("max_client_batch_size") int maxClientBatchSize) {
    }

    /** @param promptName a prompt of the model's sentence-transformers config; null for none */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbedRequest(List<String> inputs, boolean truncate, boolean normalize,
                        @JsonProperty("prompt_name") String promptName) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenizeRequest(List<String> inputs, @JsonProperty("add_special_tokens") boolean addSpecialTokens,
                           @JsonProperty("prompt_name") String promptName) {
    }

    /**
     * One token of {@code /tokenize}'s answer.
     *
     * @param start its first byte in the text (UTF-8, as Rust counts); null for a special token
     * @param stop  its end, exclusive; null for a special token
     */
    record Token(int id, boolean special, Integer start, Integer stop) {
    }

    @GET
    @Path("info")
    CompletionStage<Info> info();

    /** 200 once the model is loaded and the server can embed. */
    @GET
    @Path("health")
    @Produces(MediaType.WILDCARD)
    CompletionStage<String> health();

    @POST
    @Path("embed")
    CompletionStage<List<float[]>> embed(EmbedRequest request);

    @POST
    @Path("tokenize")
    CompletionStage<List<List<Token>>> tokenize(TokenizeRequest request);
}
