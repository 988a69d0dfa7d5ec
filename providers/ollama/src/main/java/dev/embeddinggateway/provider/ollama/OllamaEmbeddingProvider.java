package dev.embeddinggateway.provider.ollama;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.Cl100k;
import dev.embeddinggateway.core.support.TokenShares;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.provider.rest.RestEmbeddingProvider;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Ollama server: each configured model is described by {@code /api/show} at start (size and context
 * length from its metadata) and embedded with one {@code /api/embed} call per request. Ollama reports one
 * token count per call, which is shared among the inputs.
 */
final class OllamaEmbeddingProvider extends RestEmbeddingProvider {
    private final OllamaApi api;
    private final Map<String, ModelInfo> described = new ConcurrentHashMap<>();

    OllamaEmbeddingProvider(RestUpstream upstream, OllamaApi api) {
        super(upstream, "Ollama", STATUSES);
        this.api = api;
    }

    /** Ollama's statuses: 400 input it cannot take (too long without truncate), 503 queue full; 404 (model not pulled), 500 failures. */
    private static final RestUpstream.Statuses STATUSES = new RestUpstream.Statuses(Set.of(400), Set.of(429, 503));

    /** What the server has is its own business: models are offered only when configured. */
    @Override
    public List<ModelInfo> models() {
        return List.of();
    }

    @Override
    public Optional<ModelInfo> model(String id, ModelHints hints) {
        return Optional.of(described.computeIfAbsent(id, m -> describe(m, hints)));
    }

    private ModelInfo describe(String id, ModelHints hints) {
        OllamaApi.ShowResponse show = await(api.show(new OllamaApi.ShowRequest(id)));
        if (show.capabilities() != null && !show.capabilities().contains("embedding")) {
            throw new IllegalArgumentException("provider " + name() + ": Ollama's model '" + id + "' is no embedding model "
                    + "(capabilities " + show.capabilities() + ")");
        }
        Map<String, Object> info = show.modelInfo() == null ? Map.of() : show.modelInfo();
        String architecture = String.valueOf(info.get("general.architecture"));
        int dimensions = hints.dimensions().orElseGet(() -> number(info, architecture + ".embedding_length", id));
        int contextLength = hints.maxInputTokens().orElseGet(() -> number(info, architecture + ".context_length", id));
        return new ModelInfo(id, dimensions, contextLength, false, LongInputPolicy.TRUNCATE,
                EmbeddingSpace.remote(id, dimensions), Cl100k.ID, BigDecimal.ZERO);
    }

    private int contextLength(String model) {
        ModelInfo info = described.get(model);
        return info == null ? Integer.MAX_VALUE : info.maxInputTokens();
    }

    private int number(Map<String, Object> info, String key, String model) {
        if (info.get(key) instanceof Number n) {
            return n.intValue();
        }
        throw new IllegalArgumentException("provider " + name() + ": Ollama's metadata of '" + model + "' has no " + key
                + "; set gateway.models.<model>.dimensions and .max-input-tokens");
    }

    @Override
    protected CompletionStage<?> health() {
        return api.version();
    }

    @Override
    protected CompletableFuture<EmbeddingResult> send(EmbeddingRequest request, List<String> texts, boolean truncate) {
        return api.embed(new OllamaApi.EmbedRequest(request.model(), texts, truncate)).toCompletableFuture()
                .thenApply(response -> result(request, response));
    }

    private EmbeddingResult result(EmbeddingRequest request, OllamaApi.EmbedResponse response) {
        int n = request.inputs().size();
        if (response.embeddings() == null || response.embeddings().size() != n) {
            throw ProviderFailedException.malformed(name(), "Ollama answered "
                    + (response.embeddings() == null ? "no" : response.embeddings().size()) + " vectors for " + n + " inputs");
        }
        int[] estimates = request.tokens().stream().mapToInt(Tokens::count).toArray();
        int[] tokens = response.promptEvalCount() == null ? estimates : TokenShares.allocate(response.promptEvalCount(), estimates);
        int contextLength = contextLength(request.model());
        List<Embedding> embeddings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // Ollama counts no input on its own: whether it was cut is cl100k's estimate against the context length.
            boolean cut = request.longInput().cuts(estimates[i], contextLength);
            embeddings.add(new Embedding(Vectors.fromUpstream(name(), response.embeddings().get(i), request.dimensions()), tokens[i], cut));
        }
        return new EmbeddingResult(embeddings);
    }
}
