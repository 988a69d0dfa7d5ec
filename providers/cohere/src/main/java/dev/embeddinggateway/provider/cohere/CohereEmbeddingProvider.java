package dev.embeddinggateway.provider.cohere;

import dev.embeddinggateway.provider.rest.CloudEmbeddingProvider;
import dev.embeddinggateway.provider.rest.RestUpstream;
import dev.embeddinggateway.provider.rest.VendorModel;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Cohere's embed API (v2): at most 96 texts a call, {@code input_type} required by its v3 and later models (a
 * document when the client names none), usage from {@code meta.billed_units.input_tokens}.
 */
final class CohereEmbeddingProvider extends CloudEmbeddingProvider {
    static final int MAX_TEXTS = 96;
    /** Cohere's models and list prices (docs.cohere.com, models and pricing pages). */
    static final List<VendorModel> MODELS = List.of(
            new VendorModel("embed-v4.0", 1536, List.of(256, 512, 1024, 1536), false, 128_000, new BigDecimal("0.12")),
            VendorModel.fixed("embed-english-v3.0", 1024, 512, "0.10"),
            VendorModel.fixed("embed-multilingual-v3.0", 1024, 512, "0.10"),
            VendorModel.fixed("embed-english-light-v3.0", 384, 512, "0.10"),
            VendorModel.fixed("embed-multilingual-light-v3.0", 384, 512, "0.10"));
    /** 400 and 422: the input; 429: the account's limit (with {@code retry-after} when Cohere sends one). */
    static final RestUpstream.Statuses STATUSES = new RestUpstream.Statuses(Set.of(400, 422), Set.of(429));

    private final CohereApi api;

    CohereEmbeddingProvider(String name, CohereApi api, int maxConcurrency) {
        super(name, "Cohere", STATUSES, MODELS, CohereInputTypes.TYPES, MAX_TEXTS, maxConcurrency);
        this.api = api;
    }

    @Override
    protected CompletableFuture<Answer> call(Call call) {
        CohereApi.EmbedRequest request = new CohereApi.EmbedRequest(call.model(), call.texts(),
                CohereInputTypes.name(call.inputType()), List.of("float"), call.truncate() ? "END" : "NONE",
                call.dimensionsOrNull());
        return api.embed(request).toCompletableFuture().thenApply(answer -> new Answer(
                answer == null || answer.embeddings() == null ? null : answer.embeddings().floats(),
                answer == null || answer.meta() == null || answer.meta().billedUnits() == null
                        || answer.meta().billedUnits().inputTokens() == null ? OptionalInt.empty()
                        : OptionalInt.of(answer.meta().billedUnits().inputTokens())));
    }
}
