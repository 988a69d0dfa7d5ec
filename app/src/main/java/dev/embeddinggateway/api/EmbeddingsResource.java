package dev.embeddinggateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.Vectors;
import dev.embeddinggateway.routing.Gateway;
import dev.embeddinggateway.routing.Route;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/embeddings}, as OpenAI's API defines it. */
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final Gateway gateway;

    public EmbeddingsResource(Gateway gateway) {
        this.gateway = gateway;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> embed(byte[] body) {
        EmbeddingsCall call = EmbeddingsCall.parse(body);
        Route route = gateway.routes().find(call.model()).orElseThrow(() -> ApiException.modelNotFound(call.model()));
        ModelInfo model = route.info();
        int dimensions = call.dimensions() == null ? model.dimensions() : call.dimensions();
        if (!model.accepts(dimensions)) {
            throw ApiException.invalid("Model " + route.name() + " gives " + model.dimensions() + "-dimensional vectors"
                    + (model.matryoshka() ? " and takes 'dimensions' up to that" : " and takes no other 'dimensions'")
                    + "; " + dimensions + " was asked for.", "dimensions");
        }
        EmbeddingRequest request = new EmbeddingRequest(route.upstreamModel(), call.inputs(), dimensions,
                route.longInput(), call.user());
        return gateway.embed(route, request).thenApply(served -> {
            List<Embedding> embeddings = served.result().embeddings();
            List<Data> data = new ArrayList<>(embeddings.size());
            for (int i = 0; i < embeddings.size(); i++) {
                float[] v = embeddings.get(i).vector();
                data.add(new Data(i, call.base64() ? Vectors.toBase64(v) : v));
            }
            int tokens = served.result().promptTokens();
            return Response.ok(new Body(data, route.name(), new Usage(tokens, tokens)))
                    .header("x-gateway-provider", served.provider()).build();
        });
    }

    @JsonPropertyOrder({"object", "data", "model", "usage"})
    record Body(List<Data> data, String model, Usage usage) {
        @JsonProperty
        String object() {
            return "list";
        }
    }

    /** @param embedding a {@code float[]}, or its base64 string */
    @JsonPropertyOrder({"object", "index", "embedding"})
    record Data(int index, Object embedding) {
        @JsonProperty
        String object() {
            return "embedding";
        }
    }

    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }
}
