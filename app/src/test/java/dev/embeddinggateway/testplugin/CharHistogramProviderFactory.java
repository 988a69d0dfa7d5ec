package dev.embeddinggateway.testplugin;

import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.EmbeddingSpace;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.ModelInfo;
import dev.embeddinggateway.core.ProviderFactory;
import dev.embeddinggateway.core.ProviderFailedException;
import dev.embeddinggateway.core.ProviderOption;
import dev.embeddinggateway.core.ProviderOptions;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.Vectors;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A provider type that exists only in the test sources (registered in the tests' META-INF/services): proof
 * that a plugin is found, configured and routed to with no change to the app. Its tokens are code points, and
 * its vector counts them by {@code codePoint % dims}; with {@code fail=true} every call fails as a broken
 * upstream would. It counts every input it tokenizes, so tests see how often the gateway asks.
 */
public class CharHistogramProviderFactory implements ProviderFactory {
    /** Inputs tokenized by every instance of this type since the JVM started. */
    public static final AtomicLong TOKENIZED_INPUTS = new AtomicLong();

    static final ProviderOption<String> MODEL = ProviderOption.text("model", "char-histogram", "the model's id");
    static final ProviderOption<Integer> DIMS = ProviderOption.integer("dims", "16", "vector size");
    static final ProviderOption<Boolean> FAIL = ProviderOption.bool("fail", "false", "fail every call");

    @Override
    public String type() {
        return "char-histogram";
    }

    @Override
    public List<ProviderOption<?>> options() {
        return List.of(MODEL, DIMS, FAIL);
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        String model = options.get(MODEL);
        int dims = options.get(DIMS);
        boolean fail = options.get(FAIL);
        ModelInfo info = new ModelInfo(model, dims, 1000, false, LongInputPolicy.TRUNCATE,
                new EmbeddingSpace(model, "v1", dims, "histogram", true), "code-points", BigDecimal.ZERO);
        return new EmbeddingProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ModelInfo> models() {
                return List.of(info);
            }

            @Override
            public CompletionStage<List<Tokens>> tokenize(String m, List<Input> inputs) {
                TOKENIZED_INPUTS.addAndGet(inputs.size());
                return CompletableFuture.completedFuture(IntStream.range(0, inputs.size())
                        .mapToObj(i -> new Tokens(inputs.get(i).text(i).codePoints().toArray())).toList());
            }

            @Override
            public CompletionStage<Void> check() {
                return fail ? CompletableFuture.failedFuture(down()) : CompletableFuture.completedFuture(null);
            }

            private ProviderFailedException down() {
                return new ProviderFailedException("provider " + name + " is down", ProviderFailedException.Reason.UNAVAILABLE, null);
            }

            @Override
            public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
                if (fail) {
                    return CompletableFuture.failedFuture(down());
                }
                return CompletableFuture.completedFuture(new EmbeddingResult(request.tokens().stream()
                        .map(t -> new Embedding(histogram(t.ids(), dims), t.count())).toList()));
            }
        };
    }

    public static float[] histogram(String text, int dims) {
        return histogram(text.codePoints().toArray(), dims);
    }

    private static float[] histogram(int[] codePoints, int dims) {
        float[] v = new float[dims];
        for (int cp : codePoints) {
            v[cp % dims]++;
        }
        return Vectors.normalize(v);
    }
}
