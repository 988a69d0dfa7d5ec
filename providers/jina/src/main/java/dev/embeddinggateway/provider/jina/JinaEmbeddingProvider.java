package dev.embeddinggateway.provider.jina;

import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.provider.rest.CloudEmbeddingProvider;
import dev.embeddinggateway.provider.rest.RestUpstream;
import dev.embeddinggateway.provider.rest.VendorModel;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Jina AI's embeddings API: {@code task} from the input type (its v3 and v4 models' adapters), {@code dimensions}
 * any size down to the model's smallest, usage from {@code usage.total_tokens}. Jina's reference states no count
 * limit a call; the gateway sends at most 2,048 texts a call, as OpenAI's API takes.
 */
final class JinaEmbeddingProvider extends CloudEmbeddingProvider {
    static final int MAX_TEXTS = 2048;
    /** The gateway's input types as Jina's tasks. */
    static final Map<String, String> TASKS = Map.of("query", "retrieval.query", "document", "retrieval.passage",
            "classification", "classification", "clustering", "separation");
    /**
     * Jina's models (jina.ai, model pages). Jina sells prepaid token packs rather than a list price a million tokens:
     * the price is 0 here, and an operator sets {@code price-per-million-tokens} to what the account pays.
     */
    static final List<VendorModel> MODELS = List.of(
            new VendorModel("jina-embeddings-v4", 2048, List.of(128, 2048), true, 32_768, BigDecimal.ZERO),
            new VendorModel("jina-embeddings-v3", 1024, List.of(32, 1024), true, 8192, BigDecimal.ZERO),
            VendorModel.fixed("jina-embeddings-v2-base-en", 768, 8192, "0"),
            VendorModel.fixed("jina-embeddings-v2-base-zh", 768, 8192, "0"),
            VendorModel.fixed("jina-embeddings-v2-base-de", 768, 8192, "0"),
            VendorModel.fixed("jina-embeddings-v2-base-es", 768, 8192, "0"));
    /** 400 and 422: the input; 429: the account's limit; 402/403 (no balance) are the provider's failure. */
    static final RestUpstream.Statuses STATUSES = new RestUpstream.Statuses(Set.of(400, 422), Set.of(429));

    private final JinaApi api;

    JinaEmbeddingProvider(String name, JinaApi api, int maxConcurrency) {
        super(name, "Jina", STATUSES, MODELS, new InputTypes(Map.of(), TASKS.keySet(), Optional.empty()), MAX_TEXTS,
                maxConcurrency);
        this.api = api;
    }

    @Override
    protected CompletableFuture<Answer> call(Call call) {
        JinaApi.EmbedRequest request = new JinaApi.EmbedRequest(call.model(), call.texts(), call.inputTypeIn(TASKS),
                call.dimensionsOrNull(), call.truncate(), "float");
        return api.embed(request).toCompletableFuture().thenApply(answer -> answer(answer));
    }
}
