package dev.embeddinggateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.cache.CachingEmbedder;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.Vectors;
import dev.embeddinggateway.limits.Budgets;
import dev.embeddinggateway.limits.RateLimits;
import dev.embeddinggateway.routing.Gateway;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.usage.UsageLedger;
import dev.embeddinggateway.usage.UsageMeters;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/embeddings}, as OpenAI's API defines it. */
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final Gateway gateway;
    private final CachingEmbedder cache;
    private final UsageLedger ledger;
    private final CurrentCaller currentCaller;
    private final RateLimits limits;
    private final Budgets budgets;
    private final UsageMeters meters;

    public EmbeddingsResource(Gateway gateway, CachingEmbedder cache, UsageLedger ledger, CurrentCaller currentCaller,
                              RateLimits limits, Budgets budgets, UsageMeters meters) {
        this.gateway = gateway;
        this.cache = cache;
        this.ledger = ledger;
        this.currentCaller = currentCaller;
        this.limits = limits;
        this.budgets = budgets;
        this.meters = meters;
    }

    /**
     * Runs on a worker thread (parsing, token counting and the budget's ledger read are work), and returns as
     * soon as the request is on its way: no thread waits for the provider.
     */
    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> embed(byte[] body, @HeaderParam("cache-control") String cacheControl) throws SQLException {
        Caller caller = currentCaller.get();
        EmbeddingsCall call = EmbeddingsCall.parse(body);
        Route route = gateway.routes().find(call.model()).filter(r -> caller.mayUse(r.name()))
                .orElseThrow(() -> ApiException.modelNotFound(call.model()));
        ModelInfo model = route.info();
        int dimensions = call.dimensions() == null ? model.dimensions() : call.dimensions();
        if (!model.accepts(dimensions)) {
            throw ApiException.invalid("Model " + route.name() + " gives " + model.dimensions() + "-dimensional vectors"
                    + (model.matryoshka() ? " and takes 'dimensions' up to that" : " and takes no other 'dimensions'")
                    + "; " + dimensions + " was asked for.", "dimensions");
        }
        EmbeddingRequest request = new EmbeddingRequest(route.upstreamModel(), call.inputs(), dimensions,
                route.longInput(), call.user());
        // Counted before the call with the model's tokenizer, for the key's token limit and budget.
        long tokens = caller.tokensPerMinute().isPresent() || caller.monthlyBudgetUsd().isPresent() ? countTokens(route, request) : 0;
        Budgets.Reservation reservation = budgets.reserve(caller, UsageLedger.usd(tokens, route.pricePerMillionTokens()))
                .orElseThrow(() -> refused(route, caller, "budget", new ApiException(429, new ApiError("Key " + caller.keyId()
                        + " has spent its monthly budget of " + caller.monthlyBudgetUsd().orElseThrow().toPlainString()
                        + " USD (months in UTC).", "insufficient_quota", null, "insufficient_quota"))));
        boolean useCache = cacheControl == null || !cacheControl.toLowerCase(Locale.ROOT).contains("no-store");
        return limits.admit(caller, tokens).thenCompose(verdict -> {
            if (!verdict.allowed()) {
                throw refused(route, caller, verdict.exceeded().orElseThrow(), rateLimited(caller, verdict));
            }
            return cache.embed(route, request, useCache).thenApply(served -> {
                BigDecimal cost = ledger.record(route, served, caller.keyId(), caller.team());
                reservation.release();
                limits.reconcile(caller, tokens, served.result().promptTokens());
                Response.ResponseBuilder response = Response.ok(body(call, route, served))
                        .header("x-gateway-provider", served.provider())
                        .header("x-cache-hits", served.cacheHits())
                        .header("x-cache-misses", served.result().embeddings().size() - served.cacheHits())
                        .header("x-gateway-cost-usd", cost.toPlainString());
                verdict.headers().forEach(response::header);
                return response.build();
            });
        }).whenComplete((response, error) -> reservation.release());
    }

    /** The tokens the model will see: an input that is truncated counts only up to the model's limit. */
    private static long countTokens(Route route, EmbeddingRequest request) {
        var provider = route.providers().get(0);
        int max = route.info().maxInputTokens();
        return request.inputs().stream().mapToLong(in -> {
            int tokens = provider.countTokens(request.model(), in);
            return route.longInput() == LongInputPolicy.TRUNCATE ? Math.min(tokens, max) : tokens;
        }).sum();
    }

    private ApiException refused(Route route, Caller caller, String limit, ApiException answer) {
        meters.rateLimited(route.name(), caller.team(), limit);
        return answer;
    }

    private static ApiException rateLimited(Caller caller, RateLimits.Verdict verdict) {
        String kind = verdict.exceeded().orElseThrow();
        Map<String, String> headers = new LinkedHashMap<>(verdict.headers());
        headers.put("retry-after", ApiExceptionMappers.retryAfterSeconds(verdict.retryAfter()));
        if (kind.equals("store")) {
            return new ApiException(503, new ApiError("The rate-limit store is unreachable and this gateway denies "
                    + "requests until it answers. Retry shortly.", "server_error", null, "rate_limit_store_unavailable"), headers);
        }
        return new ApiException(429, new ApiError("Rate limit reached for key " + caller.keyId() + " on " + kind
                + " per minute. Please try again in " + headers.get("retry-after") + "s.", kind, null, "rate_limit_exceeded"), headers);
    }

    private static Body body(EmbeddingsCall call, Route route, Gateway.Served served) {
        List<Embedding> embeddings = served.result().embeddings();
        List<Data> data = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            float[] v = embeddings.get(i).vector();
            data.add(new Data(i, call.base64() ? Vectors.toBase64(v) : v));
        }
        int tokens = served.result().promptTokens();
        return new Body(data, route.name(), new Usage(tokens, tokens));
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
