package dev.embeddinggateway.provider.openai;

import com.openai.client.OpenAIClientAsync;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderException;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.AsyncFailures;
import dev.embeddinggateway.core.support.Cl100k;
import dev.embeddinggateway.core.support.UpstreamCalls;
import dev.embeddinggateway.core.support.Vectors;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

/**
 * OpenAI, or any OpenAI-compatible server, through the official SDK: one client per instance, reused. A
 * request larger than one upstream call may carry is cut into calls, sent concurrently within
 * {@code max-concurrency}, and merged back in input order ({@link UpstreamCalls}).
 */
final class OpenAiEmbeddingProvider implements EmbeddingProvider {
    /** OpenAI's limits for one embeddings call: 2048 inputs, 300,000 tokens. */
    static final UpstreamCalls.Limits LIMITS = new UpstreamCalls.Limits(2048, 300_000);

    private final String name;
    private final OpenAiSettings settings;
    private final OpenAIClientAsync client;
    private final UpstreamCalls calls;
    private final Map<String, ModelInfo> described = new ConcurrentHashMap<>();

    OpenAiEmbeddingProvider(String name, OpenAiSettings settings, OpenAIClientAsync client) {
        this.name = name;
        this.settings = settings;
        this.client = client;
        this.calls = new UpstreamCalls(settings.maxConcurrency());
        KnownModels.ids().forEach(id -> described.put(id, known(id)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ModelInfo> models() {
        return StreamSupport.stream(KnownModels.ids().spliterator(), false).map(described::get).toList();
    }

    @Override
    public Optional<ModelInfo> model(String id, ModelHints hints) {
        return Optional.of(described.computeIfAbsent(id, m -> {
            int dimensions = hints.dimensions().orElseGet(() -> probeDimensions(m));
            return info(m, dimensions, hints.maxInputTokens().orElse(KnownModels.MAX_INPUT_TOKENS), false, BigDecimal.ZERO);
        }));
    }

    private static ModelInfo known(String id) {
        KnownModels.Known known = KnownModels.find(id).orElseThrow();
        return info(id, known.dimensions(), KnownModels.MAX_INPUT_TOKENS, known.matryoshka(), known.pricePerMillionTokens());
    }

    private static ModelInfo info(String id, int dimensions, int maxInputTokens, boolean matryoshka, BigDecimal price) {
        // Long input is refused by default: it is paid for, and a silent cut is a surprise.
        return new ModelInfo(id, dimensions, maxInputTokens, matryoshka, LongInputPolicy.ERROR,
                EmbeddingSpace.remote(id, dimensions), Cl100k.ID, price);
    }

    /**
     * One embedding, to learn the size of a model the gateway has no metadata for.
     *
     * @throws ProviderFailedException when the upstream cannot answer now (the gateway asks again later)
     * @throws IllegalArgumentException when it answers that it does not serve the model
     */
    private int probeDimensions(String model) {
        try {
            CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model(settings.upstreamModel(model))
                    .input("dimension probe").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build())
                    .get(settings.timeout().toMillis() * (settings.maxRetries() + 1) + 1000, TimeUnit.MILLISECONDS);
            return response.data().get(0).embeddingValue().asFloats().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            ProviderException failure = UpstreamErrors.map(name, model, e);
            if (failure instanceof ProviderFailedException down && !(AsyncFailures.unwrap(e) instanceof NotFoundException)) {
                throw down;
            }
            throw new IllegalArgumentException("provider " + name + " could not learn the dimensions of model '" + model
                    + "' with a probe (" + failure.getMessage() + "); set them in configuration", e);
        }
    }

    @Override
    public CompletionStage<List<Tokens>> tokenize(String model, List<Input> inputs) {
        return Cl100k.tokenize(inputs);
    }

    /** Exact for OpenAI's own models; for another model of an OpenAI-compatible server, an estimate. */
    @Override
    public CompletionStage<List<TokenizedText>> tokenizeForClient(String model, List<Input> inputs, String inputType) {
        return Cl100k.tokenizeForClient(inputs, KnownModels.find(model).isEmpty());
    }

    @Override
    public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
        try {
            return embedPieces(request);
        } catch (ProviderException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<EmbeddingResult> embedPieces(EmbeddingRequest request) {
        ModelInfo model = model(request.model(), ModelHints.NONE).orElseThrow();
        List<UpstreamPiece> pieces = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            pieces.addAll(UpstreamPiece.of(i, request.inputs().get(i), request.tokens().get(i), model.maxInputTokens(),
                    request.longInput(), request.model()));
        }
        return calls.send(pieces.stream().mapToInt(UpstreamPiece::tokens).toArray(), LIMITS, request.priority(),
                        slice -> send(pieces.subList(slice.from(), slice.to()), model, request).thenApply(response ->
                                UpstreamAnswer.read(name, response, slice.size(), model, request.dimensions())))
                .handle((merged, error) -> {
                    if (error != null) {
                        throw UpstreamErrors.map(name, request.model(), error);
                    }
                    return merge(request, model, pieces, merged);
                });
    }

    private CompletableFuture<CreateEmbeddingResponse> send(List<UpstreamPiece> call, ModelInfo model,
                                                            EmbeddingRequest request) {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model(settings.upstreamModel(request.model()))
                .encodingFormat(settings.requestBase64()
                        ? EmbeddingCreateParams.EncodingFormat.BASE64 : EmbeddingCreateParams.EncodingFormat.FLOAT);
        if (call.get(0).upstream() instanceof Input.TokenIds) {
            params.inputOfArrayOfTokenArrays(call.stream()
                    .map(p -> Arrays.stream(((Input.TokenIds) p.upstream()).ids()).asLongStream().boxed().toList()).toList());
        } else {
            params.inputOfArrayOfStrings(call.stream().map(p -> ((Input.Text) p.upstream()).text()).toList());
        }
        if (model.matryoshka() && request.dimensions() != model.dimensions()) {
            params.dimensions(request.dimensions());
        }
        if (request.user() != null) {
            params.user(request.user());
        }
        // The gateway's trace continues at the upstream (an OpenAI-compatible server that traces, or a proxy).
        request.traceHeaders().forEach(params::putAdditionalHeader);
        return client.embeddings().create(params.build());
    }

    /** One embedding per client input: its piece's vector, or the token-weighted mean of its pieces (chunk). */
    private EmbeddingResult merge(EmbeddingRequest request, ModelInfo model, List<UpstreamPiece> pieces,
                                  UpstreamCalls.Merged<float[]> merged) {
        List<Embedding> embeddings = new ArrayList<>(request.inputs().size());
        int next = 0;
        for (int input = 0; input < request.inputs().size(); input++) {
            int first = next;
            while (next < pieces.size() && pieces.get(next).input() == input) {
                next++;
            }
            int[] weights = IntStream.range(first, next).map(i -> pieces.get(i).tokens()).toArray();
            float[] vector = next - first == 1 ? merged.items().get(first)
                    : Vectors.weightedMean(merged.items().subList(first, next).toArray(float[][]::new), weights);
            boolean cut = request.longInput().cuts(request.tokens().get(input).count(), model.maxInputTokens());
            embeddings.add(new Embedding(vector, IntStream.range(first, next).map(i -> merged.tokens()[i]).sum(), cut));
        }
        return new EmbeddingResult(embeddings);
    }

    /**
     * {@code GET /models}: free, and it proves the key is accepted. A 404 is a reachable server that lists no
     * models (not every OpenAI-compatible one does).
     */
    @Override
    public CompletionStage<Void> check() {
        return client.models().list().handle((page, error) -> {
            if (error != null && !(AsyncFailures.unwrap(error) instanceof NotFoundException)) {
                throw UpstreamErrors.map(name, "models", error);
            }
            return null;
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
