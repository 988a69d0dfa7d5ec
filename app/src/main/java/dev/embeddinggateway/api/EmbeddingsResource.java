package dev.embeddinggateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.Vectors;
import dev.embeddinggateway.routing.Gateway;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.usage.UsageLedger;
import dev.embeddinggateway.cache.CachingEmbedder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/embeddings}, as OpenAI's API defines it. */
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final Gateway gateway;
    private final CachingEmbedder cache;
    private final UsageLedger ledger;

    public EmbeddingsResource(Gateway gateway, CachingEmbedder cache, UsageLedger ledger) {
        this.gateway = gateway;
        this.cache = cache;
        this.ledger = ledger;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> embed(byte[] body, @HeaderParam("cache-control") String cacheControl) {
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
        boolean useCache = cacheControl == null || !cacheControl.toLowerCase(Locale.ROOT).contains("no-store");
        return cache.embed(route, request, useCache).thenApply(served -> {
            List<Embedding> embeddings = served.result().embeddings();
            List<Data> data = new ArrayList<>(embeddings.size());
            for (int i = 0; i < embeddings.size(); i++) {
                float[] v = embeddings.get(i).vector();
                data.add(new Data(i, call.base64() ? Vectors.toBase64(v) : v));
            }
            int tokens = served.result().promptTokens();
            BigDecimal cost = ledger.record(route, served, UsageLedger.ANONYMOUS, UsageLedger.ANONYMOUS);
            return Response.ok(new Body(data, route.name(), new Usage(tokens, tokens)))
                    .header("x-gateway-provider", served.provider())
                    .header("x-gateway-cost-usd", cost.toPlainString())
                    .header("x-cache-hits", served.cacheHits())
                    .header("x-cache-misses", embeddings.size() - served.cacheHits()).build();
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
