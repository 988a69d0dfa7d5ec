package dev.embeddinggateway.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** One configured provider instance: a local model, or an upstream account. */
public interface EmbeddingProvider extends AutoCloseable {

    /** The instance name from configuration ({@code gateway.providers.<name>}). */
    String name();

    /** The models this instance is known to serve (offered when no model is configured). */
    List<ModelInfo> models();

    /**
     * What this instance declares of model {@code id}, or empty when it cannot serve it. Called once per
     * configured model at start; a remote provider may ask its upstream here.
     *
     * @throws IllegalArgumentException when the model cannot be described (a message naming what to set)
     */
    default Optional<ModelInfo> model(String id, ModelHints hints) {
        return models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** Tokens the model would see for this input (before any long-input policy), with the model's tokenizer. */
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
