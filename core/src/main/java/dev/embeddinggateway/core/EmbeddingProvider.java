package dev.embeddinggateway.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** One configured provider instance: a local model, or an upstream account. */
public interface EmbeddingProvider extends AutoCloseable {

    /** The instance name from configuration ({@code gateway.providers.<name>}). */
    String name();

    /** The models this instance serves. */
    List<ModelInfo> models();

    default Optional<ModelInfo> model(String id) {
        return models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** Tokens the model would see for this input, counted with the model's own tokenizer. */
    int countTokens(String model, Input input);

    /**
     * Embeds a batch. Completes with one {@link Embedding} per input, in input order, or exceptionally
     * with a {@link ProviderException}. Never blocks the calling thread on inference or I/O.
     */
    CompletionStage<EmbeddingResult> embed(EmbeddingRequest request);

    @Override
    default void close() {
    }
}
