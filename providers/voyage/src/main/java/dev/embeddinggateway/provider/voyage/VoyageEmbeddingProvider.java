package dev.embeddinggateway.provider.voyage;

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
 * Voyage AI's embeddings API: at most 1,000 texts a call and, per model, at most so many tokens in all of them;
 * {@code input_type} query or document (Voyage puts its own prompt before the text); usage from
 * {@code usage.total_tokens}.
 */
final class VoyageEmbeddingProvider extends CloudEmbeddingProvider {
    static final int MAX_TEXTS = 1000;
    /** Tokens one call may carry in all its texts, by model (docs.voyageai.com, embeddings API reference). */
    static final Map<String, Integer> MAX_TOKENS = Map.of("voyage-4-lite", 1_000_000, "voyage-3.5-lite", 1_000_000,
            "voyage-4", 320_000, "voyage-3.5", 320_000);
    static final int DEFAULT_MAX_TOKENS = 120_000;
    private static final List<Integer> SIZES = List.of(256, 512, 1024);
    /** Voyage's models at their default size (1024; 2048 is not offered here) and list prices (voyageai.com pricing). */
    static final List<VendorModel> MODELS = List.of(
            new VendorModel("voyage-4-large", 1024, SIZES, false, 32_000, new BigDecimal("0.12")),
            new VendorModel("voyage-4", 1024, SIZES, false, 32_000, new BigDecimal("0.06")),
            new VendorModel("voyage-4-lite", 1024, SIZES, false, 32_000, new BigDecimal("0.02")),
            new VendorModel("voyage-3-large", 1024, SIZES, false, 32_000, new BigDecimal("0.18")),
            new VendorModel("voyage-3.5", 1024, SIZES, false, 32_000, new BigDecimal("0.06")),
            new VendorModel("voyage-3.5-lite", 1024, SIZES, false, 32_000, new BigDecimal("0.02")),
            new VendorModel("voyage-code-3", 1024, SIZES, false, 32_000, new BigDecimal("0.18")),
            VendorModel.fixed("voyage-finance-2", 1024, 32_000, "0.12"),
            VendorModel.fixed("voyage-law-2", 1024, 16_000, "0.12"));
    static final RestUpstream.Statuses STATUSES = new RestUpstream.Statuses(Set.of(400, 422), Set.of(429));

    private final VoyageApi api;

    VoyageEmbeddingProvider(String name, VoyageApi api, int maxConcurrency) {
        super(name, "Voyage", STATUSES, MODELS, new InputTypes(Map.of(), Set.of(InputTypes.QUERY, InputTypes.DOCUMENT),
                Optional.empty()), MAX_TEXTS, maxConcurrency);
        this.api = api;
    }

    @Override
    protected int maxTokensPerCall(String model) {
        return MAX_TOKENS.getOrDefault(model, DEFAULT_MAX_TOKENS);
    }

    @Override
    protected CompletableFuture<Answer> call(Call call) {
        VoyageApi.EmbedRequest request = new VoyageApi.EmbedRequest(call.texts(), call.model(), call.inputType(),
                call.truncate(), call.dimensionsOrNull());
        return api.embed(request).toCompletableFuture().thenApply(answer -> answer(answer));
    }
}
