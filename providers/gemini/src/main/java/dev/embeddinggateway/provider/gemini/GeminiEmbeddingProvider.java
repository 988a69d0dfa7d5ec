package dev.embeddinggateway.provider.gemini;

import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.provider.rest.CloudEmbeddingProvider;
import dev.embeddinggateway.provider.rest.RestUpstream;
import dev.embeddinggateway.provider.rest.VendorModel;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Google's Gemini API, {@code batchEmbedContents}: at most 100 requests a call, {@code taskType} from the input type,
 * {@code outputDimensionality} any size down to 128 (smaller vectors come unnormalized: the gateway normalizes them).
 * The answer counts no tokens: usage is the cl100k_base estimate.
 */
final class GeminiEmbeddingProvider extends CloudEmbeddingProvider {
    static final int MAX_TEXTS = 100;
    static final Map<String, String> TASK_TYPES = Map.of("query", "RETRIEVAL_QUERY", "document", "RETRIEVAL_DOCUMENT",
            "classification", "CLASSIFICATION", "clustering", "CLUSTERING");
    /** ai.google.dev: gemini-embedding-001, 3072 dimensions (128 and up), 2,048 input tokens, 0.15 USD a million. */
    static final List<VendorModel> MODELS = List.of(
            new VendorModel("gemini-embedding-001", 3072, List.of(128, 3072), true, 2048, new BigDecimal("0.15")));
    /** 400: the input; 429: the account's quota; 403 (a bad key) and 5xx: the provider's. */
    static final RestUpstream.Statuses STATUSES = new RestUpstream.Statuses(Set.of(400), Set.of(429));

    private final GeminiApi api;

    GeminiEmbeddingProvider(String name, GeminiApi api, int maxConcurrency) {
        super(name, "Gemini", STATUSES, MODELS, new InputTypes(Map.of(), TASK_TYPES.keySet(), Optional.empty()),
                MAX_TEXTS, maxConcurrency);
        this.api = api;
    }

    @Override
    protected CompletableFuture<Answer> call(Call call) {
        String taskType = call.inputTypeIn(TASK_TYPES);
        Integer size = call.dimensionsOrNull();
        List<GeminiApi.EmbedRequest> requests = call.texts().stream().map(text -> new GeminiApi.EmbedRequest(
                "models/" + call.model(), new GeminiApi.Content(List.of(new GeminiApi.Part(text))), taskType, size)).toList();
        return api.batchEmbed(call.model(), new GeminiApi.BatchRequest(requests)).toCompletableFuture().thenApply(answer -> {
            if (answer == null || answer.embeddings() == null) {
                throw ProviderFailedException.malformed(name(), "Gemini answered no embeddings");
            }
            return new Answer(answer.embeddings().stream().map(GeminiApi.Values::values).toList(), OptionalInt.empty());
        });
    }
}
