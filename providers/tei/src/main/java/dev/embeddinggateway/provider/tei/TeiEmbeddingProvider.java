package dev.embeddinggateway.provider.tei;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.Cl100k;
import dev.embeddinggateway.core.support.UpstreamCalls;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.provider.rest.RestEmbeddingProvider;
import dev.embeddinggateway.provider.rest.RestFailures;
import dev.embeddinggateway.provider.rest.RestUpstream;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * One TEI server, which serves one model: {@code /info} names it and its limits, one probe learns its size, both
 * when the model is first described (at start, or once the server answers). Requests are cut into calls of at most
 * the server's {@code max_client_batch_size} inputs, all sent at once ({@link UpstreamCalls}: TEI queues them itself);
 * each is embedded ({@code /embed}) and counted with the model's own tokenizer ({@code /tokenize}) at once.
 */
final class TeiEmbeddingProvider extends RestEmbeddingProvider {
    private static final Logger LOG = Logger.getLogger(TeiEmbeddingProvider.class.getName());
    private final TeiApi api;
    private final UpstreamCalls calls = UpstreamCalls.unbounded();
    /** input_type → TEI prompt_name */
    private final Map<String, String> promptNames;
    private volatile TeiApi.Info info;
    private volatile ModelInfo model;

    TeiEmbeddingProvider(RestUpstream upstream, TeiApi api, Map<String, String> promptNames) {
        super(upstream, "TEI", STATUSES);
        this.api = api;
        this.promptNames = Map.copyOf(promptNames);
    }

    /** TEI's statuses: 413 too many inputs, 422 input it cannot take, 424 model failure, 429 overloaded. */
    static final RestUpstream.Statuses STATUSES = new RestUpstream.Statuses(Set.of(400, 413, 422), Set.of(429));

    /** The server's model and limits, asked once it answers. */
    private TeiApi.Info info() {
        if (info == null) {
            info = await(api.info());
            LOG.info(String.format("provider %s: TEI at %s serves %s, max %d tokens, %d inputs a call", name(),
                    upstream.baseUrl(), info.modelId(), info.maxInputLength(), info.maxClientBatchSize()));
        }
        return info;
    }

    /** The server's model, when it answers now; none else (configure the model to have it waited for). */
    @Override
    public List<ModelInfo> models() {
        try {
            return List.of(model(info().modelId(), ModelHints.NONE).orElseThrow());
        } catch (ProviderFailedException notNow) {
            return List.of();
        }
    }

    @Override
    public Optional<ModelInfo> model(String id, ModelHints hints) {
        TeiApi.Info info = info();
        if (!id.equals(info.modelId())) {
            return Optional.empty();
        }
        if (model == null) {
            int dimensions = hints.dimensions().orElseGet(() -> await(api.embed(
                    new TeiApi.EmbedRequest(List.of("dimension probe"), true, true, null))).get(0).length);
            // TEI truncates like sentence-transformers when asked: truncate is the default, as for local models.
            model = new ModelInfo(id, dimensions, info.maxInputLength(), false, LongInputPolicy.TRUNCATE,
                    EmbeddingSpace.remote(id, dimensions), Cl100k.ID, BigDecimal.ZERO,
                    new InputTypes(Map.of(), promptNames.keySet(), Optional.empty()));
        }
        return Optional.of(model);
    }

    /**
     * The server's own count ({@code /tokenize}, with the prompt of a mapped input type); the places of the tokens
     * only without one (they would be in the prompted text).
     */
    @Override
    public CompletionStage<List<TokenizedText>> tokenizeForClient(String model, List<Input> inputs, String inputType) {
        List<String> texts = Input.texts(inputs);
        String promptName = inputType == null ? null : promptNames.get(inputType);
        return api.tokenize(new TeiApi.TokenizeRequest(texts, true, promptName)).thenApply(all -> {
            if (all.size() != texts.size()) {
                throw ProviderFailedException.malformed(name(), "TEI answered " + all.size() + " token lists for "
                        + texts.size() + " inputs");
            }
            List<TokenizedText> answer = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                List<TeiApi.Token> tokens = all.get(i);
                int[] ids = tokens.stream().mapToInt(TeiApi.Token::id).toArray();
                int[][] bytes = tokens.stream().map(t -> t.special() || t.start() == null || t.stop() == null ? null
                        : new int[]{t.start(), t.stop()}).toArray(int[][]::new);
                answer.add(new TokenizedText(new Tokens(ids), promptName == null
                        ? TokenizedText.codePointSpans(texts.get(i), bytes) : null, false));
            }
            return answer;
        }).exceptionallyCompose(e -> CompletableFuture.failedFuture(RestFailures.map(name(), e, STATUSES)));
    }

    @Override
    protected CompletionStage<?> health() {
        return api.health();
    }

    @Override
    protected CompletableFuture<EmbeddingResult> send(EmbeddingRequest request, List<String> texts, boolean truncate) {
        TeiApi.Info info = this.info;
        if (info == null) {
            // Not described yet: the gateway describes it off the request path; until then the next provider serves.
            return CompletableFuture.failedFuture(new ProviderFailedException("provider " + name() + " has not answered "
                    + "/info yet", ProviderFailedException.Reason.UNAVAILABLE, null));
        }
        int[] estimates = request.tokens().stream().mapToInt(Tokens::count).toArray();
        UpstreamCalls.Limits limits = UpstreamCalls.Limits.inputs(Math.max(1, info.maxClientBatchSize()));
        String promptName = request.inputType() == null ? null : promptNames.get(request.inputType());
        return calls.send(estimates, limits, request.priority(), slice -> embedPart(texts.subList(slice.from(), slice.to()),
                        truncate, request.dimensions(), info.maxInputLength(), promptName)
                        // The embeddings carry the server's own counts: there is no count of the call to share.
                        .thenApply(part -> new UpstreamCalls.Answer<>(part, OptionalInt.empty())))
                .thenApply(merged -> new EmbeddingResult(merged.items()));
    }

    private CompletableFuture<List<Embedding>> embedPart(List<String> texts, boolean truncate, int dimensions,
                                                         int maxInputLength, String promptName) {
        CompletableFuture<List<float[]>> vectors = api.embed(new TeiApi.EmbedRequest(texts, truncate, true, promptName))
                .toCompletableFuture();
        CompletableFuture<List<List<TeiApi.Token>>> tokens = api.tokenize(new TeiApi.TokenizeRequest(texts, true, promptName))
                .toCompletableFuture();
        return vectors.thenCombine(tokens, (v, t) -> {
            if (v.size() != texts.size() || t.size() != texts.size()) {
                throw ProviderFailedException.malformed(name(), "TEI answered " + v.size() + " vectors and " + t.size()
                        + " token lists for " + texts.size() + " inputs");
            }
            List<Embedding> embeddings = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                // What the model saw: a truncated input counts up to the model's limit.
                int seen = t.get(i).size();
                embeddings.add(new Embedding(Vectors.fromUpstream(name(), v.get(i), dimensions), Math.min(seen, maxInputLength),
                        truncate && seen > maxInputLength));
            }
            return embeddings;
        });
    }
}
