package dev.embeddinggateway.provider.ollama;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Ollama's API, the parts the gateway uses. */
@Path("/api")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface OllamaApi {

    record EmbedRequest(String model, List<String> input, boolean truncate) {
    }

    /** @param promptEvalCount the tokens of all inputs together, as the model's tokenizer counted them */
    record EmbedResponse(List<float[]> embeddings, @JsonProperty("prompt_eval_count") Integer promptEvalCount) {
    }

    record ShowRequest(String model) {
    }

    /** @param modelInfo GGUF metadata: {@code <architecture>.embedding_length}, {@code <architecture>.context_length} */
    record ShowResponse(@JsonProperty("model_info") Map<String, Object> modelInfo, List<String> capabilities) {
    }

    record Version(String version) {
    }

    @GET
    @Path("version")
    CompletionStage<Version> version();

    @POST
    @Path("embed")
    CompletionStage<EmbedResponse> embed(EmbedRequest request);

    @POST
    @Path("show")
    CompletionStage<ShowResponse> show(ShowRequest request);
}
