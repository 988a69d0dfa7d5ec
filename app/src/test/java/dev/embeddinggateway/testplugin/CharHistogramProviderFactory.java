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
import dev.embeddinggateway.core.ProviderOptions;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A provider type that exists only in the test sources (registered in the tests' META-INF/services): proof
 * that a plugin is found, configured and routed to with no change to the app. Its vector counts code points
 * by {@code codePoint % dims}; with {@code fail=true} every call fails as a broken upstream would.
 */
public class CharHistogramProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "char-histogram";
    }

    @Override
    public EmbeddingProvider create(String name, ProviderOptions options) {
        String model = options.get("model").orElse("char-histogram");
        int dims = options.getInt("dims", 16, name);
        boolean fail = options.getBoolean("fail", name).orElse(false);
        ModelInfo info = new ModelInfo(model, dims, 1000, false, LongInputPolicy.TRUNCATE,
                new EmbeddingSpace(model, "v1", dims, "histogram", true), java.math.BigDecimal.ZERO);
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
            public int countTokens(String m, Input input) {
                return ((Input.Text) input).text().codePointCount(0, ((Input.Text) input).text().length());
            }

            @Override
            public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
                if (fail) {
                    return CompletableFuture.failedFuture(new ProviderFailedException("provider " + name + " is down",
                            ProviderFailedException.Reason.UNAVAILABLE, null));
                }
                return CompletableFuture.completedFuture(new EmbeddingResult(request.inputs().stream()
                        .map(in -> new Embedding(histogram(((Input.Text) in).text(), dims), countTokens(model, in)))
                        .toList()));
            }
        };
    }

    public static float[] histogram(String text, int dims) {
        float[] v = new float[dims];
        text.codePoints().forEach(cp -> v[cp % dims]++);
        return dev.embeddinggateway.core.Vectors.normalize(v);
    }
}
