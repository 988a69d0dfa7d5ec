package dev.embeddinggateway.testing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A provider's {@link EmbeddingProvider#tokenize}, then its {@link EmbeddingProvider#embed}, as the gateway calls
 * them: for a test with no use for the counts in between. Shared by every module's tests through core's test jar.
 */
public final class TokenizeAndEmbed {
    private TokenizeAndEmbed() {
    }

    /** Interactive work, no user, no input type. */
    public static CompletionStage<EmbeddingResult> tokenizeAndEmbed(EmbeddingProvider provider, String model,
                                                                    List<Input> inputs, int dimensions,
                                                                    LongInputPolicy longInput) {
        return provider.tokenize(model, inputs).thenCompose(tokens ->
                provider.embed(new EmbeddingRequest(model, inputs, tokens, dimensions, longInput, null)));
    }
}
