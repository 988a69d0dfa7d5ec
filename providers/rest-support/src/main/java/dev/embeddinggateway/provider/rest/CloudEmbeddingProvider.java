package dev.embeddinggateway.provider.rest;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelHints;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.Cl100k;
import dev.embeddinggateway.core.support.UpstreamCalls;
import dev.embeddinggateway.core.support.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cloud vendor's embeddings API (Cohere, Voyage, Gemini, Jina, Bedrock): its known models, its input types, and
 * its limits per call. A request is cut into calls that fit (at most so many texts, so many tokens by the
 * cl100k_base estimate) and they are sent at once, at most {@code max-concurrency} in flight
 * ({@link CloudProviderFactory}); the vendor's token count, where it gives one, replaces the estimate and is shared
 * among the inputs ({@link UpstreamCalls}). How a call is made is the subclass's own: a REST client the factory built,
 * or a vendor's SDK.
 */
public abstract class CloudEmbeddingProvider extends TextUpstreamProvider {
    private final Map<String, VendorModel> known = new LinkedHashMap<>();
    private final Map<String, VendorModel> described = new ConcurrentHashMap<>();
    private final InputTypes inputTypes;
    private final UpstreamCalls calls;
    private final int maxTextsPerCall;

    /** What one call sends: texts, the vendor's model, the input type (a gateway name, or null), the size to ask. */
    public record Call(String model, List<String> texts, String inputType, OptionalInt dimensions, boolean truncate) {

        /** The size to ask for, or null for the model's own: what a JSON field left out means. */
        public Integer dimensionsOrNull() {
            return dimensions.isPresent() ? dimensions.getAsInt() : null;
        }

        /** The input type in the vendor's words ({@code names}), or null when the request has none. */
        public String inputTypeIn(Map<String, String> names) {
            return inputType == null ? null : names.get(inputType);
        }
    }

    /** One call's answer: a vector per text, and the vendor's token count of the call when it gives one. */
    public record Answer(List<float[]> vectors, OptionalInt tokens) {
    }

    /**
     * @param name            the instance name
     * @param inputTypes      the input types the vendor maps (and its default, where its models need one)
     * @param maxTextsPerCall the most texts one call may carry
     */
    protected CloudEmbeddingProvider(String name, String vendor, RestUpstream.Statuses statuses,
                                     List<VendorModel> models, InputTypes inputTypes, int maxTextsPerCall,
                                     int maxConcurrency) {
        super(name, vendor, statuses);
        models.forEach(m -> known.put(m.id(), m));
        this.inputTypes = inputTypes;
        this.maxTextsPerCall = maxTextsPerCall;
        this.calls = new UpstreamCalls(maxConcurrency);
    }

    /** One call to the vendor. */
    protected abstract CompletableFuture<Answer> call(Call call);

    /** The most texts one call may carry for {@code model}: the vendor's one limit, unless a subclass knows better. */
    protected int maxTextsPerCall(String model) {
        return maxTextsPerCall;
    }

    /** An answer of OpenAI's common shape, checked. */
    protected Answer answer(IndexedEmbeddings answer) {
        if (answer == null) {
            throw ProviderFailedException.malformed(name(), server() + " answered nothing");
        }
        return answer.answer(name());
    }

    /** No vendor has a free call to ask; traffic tells whether it answers. */
    @Override
    protected CompletionStage<?> health() {
        return CompletableFuture.completedFuture(null);
    }

    /** The most tokens all the texts of one call may have together for {@code model}; none by default. */
    protected int maxTokensPerCall(String model) {
        return Integer.MAX_VALUE;
    }

    @Override
    public List<ModelInfo> models() {
        return known.values().stream().map(this::info).toList();
    }

    /** A known model, or any other the vendor serves once its size is configured ({@code dimensions}). */
    @Override
    public Optional<ModelInfo> model(String id, ModelHints hints) {
        VendorModel model = described.computeIfAbsent(id, m -> Optional.ofNullable(known.get(m)).orElseGet(() ->
                VendorModel.fixed(m, hints.dimensions().orElseThrow(() -> new IllegalArgumentException("model " + m
                        + " is not one " + server() + " model this gateway knows (" + String.join(", ", known.keySet())
                        + "); set its dimensions")), hints.maxInputTokens().orElse(512), "0")));
        return Optional.of(info(model));
    }

    private ModelInfo info(VendorModel m) {
        return new ModelInfo(m.id(), m.dimensions(), m.maxInputTokens(), m.matryoshka(), LongInputPolicy.TRUNCATE,
                EmbeddingSpace.remote(m.id(), m.dimensions()), Cl100k.ID, m.pricePerMillionTokens(), inputTypes(m.id()));
    }

    /** The input types the vendor maps for {@code model}: those given at construction, unless a subclass knows better. */
    protected InputTypes inputTypes(String model) {
        return inputTypes;
    }

    @Override
    protected CompletableFuture<EmbeddingResult> send(EmbeddingRequest request, List<String> texts, boolean truncate) {
        VendorModel model = described.get(request.model());
        if (model == null) {
            return CompletableFuture.failedFuture(new ProviderFailedException("provider " + name() + " has not described "
                    + request.model() + " yet", ProviderFailedException.Reason.UNAVAILABLE, null));
        }
        OptionalInt size = model.sizeToAsk(request.dimensions());
        int answered = size.orElse(model.dimensions());
        int[] estimates = request.tokens().stream().mapToInt(Tokens::count).toArray();
        UpstreamCalls.Limits limits = new UpstreamCalls.Limits(maxTextsPerCall(request.model()),
                maxTokensPerCall(request.model()));
        return calls.send(estimates, limits, request.priority(), slice -> call(new Call(request.model(),
                        texts.subList(slice.from(), slice.to()), request.inputType(), size, truncate))
                        .thenApply(answer -> checked(answer, slice.size())))
                .thenApply(merged -> {
                    List<Embedding> embeddings = new ArrayList<>(texts.size());
                    for (int t = 0; t < estimates.length; t++) {
                        float[] v = Vectors.fromUpstream(name(), merged.items().get(t), answered);
                        // A size asked of the vendor may come unnormalized (Gemini's do), a larger one is cut here.
                        embeddings.add(new Embedding(size.isPresent() ? Vectors.normalize(Arrays.copyOf(v, request.dimensions())) : v,
                                merged.tokens()[t], truncate && estimates[t] > model.maxInputTokens()));
                    }
                    return new EmbeddingResult(embeddings, merged.total(), merged.estimated());
                });
    }

    /** A call's answer, checked: a vector per text, and a count that is none or not negative. */
    private UpstreamCalls.Answer<float[]> checked(Answer answer, int texts) {
        if (answer.vectors() == null || answer.vectors().size() != texts) {
            throw ProviderFailedException.malformed(name(), server() + " answered " + (answer.vectors() == null ? "no"
                    : answer.vectors().size()) + " vectors for " + texts + " texts");
        }
        if (answer.tokens().isPresent() && answer.tokens().getAsInt() < 0) {
            throw ProviderFailedException.malformed(name(), server() + " answered a negative token count");
        }
        return new UpstreamCalls.Answer<>(answer.vectors(), answer.tokens());
    }
}
