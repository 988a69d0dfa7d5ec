package dev.embeddinggateway.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Each input's tokens with the model's tokenizer ({@link ModelInfo#tokenizer()}), before any long-input
     * policy. The gateway asks once per request, counts them for limits and budgets, and hands them back to
     * {@link #embed} in the request. Completes exceptionally with a {@link BadInputException} for input the
     * tokenizer cannot take; long work runs off the calling thread.
     */
    CompletionStage<List<Tokens>> tokenize(String model, List<Input> inputs);

    /**
     * For a client's tokenize call (never billed): each input's tokens as {@link #tokenize} counts them, with their
     * places in the text where the tokenizer knows them, and whether the count is only an estimate.
     *
     * @param inputType the input type this provider maps itself ({@link InputTypes#mappedByProvider()}), or null
     */
    default CompletionStage<List<TokenizedText>> tokenizeForClient(String model, List<Input> inputs, String inputType) {
        return tokenize(model, inputs).thenApply(all -> all.stream().map(t -> new TokenizedText(t, null, false)).toList());
    }

    /**
     * Embeds a batch whose inputs this provider (or one of the same {@link ModelInfo#tokenizer()}) tokenized.
     * Completes with one {@link Embedding} per input, in input order, or exceptionally with a
     * {@link ProviderException}. Never blocks the calling thread on inference or I/O.
     */
    CompletionStage<EmbeddingResult> embed(EmbeddingRequest request);

    /**
     * A free check that this instance can serve: no embedding, nothing billed. A local model answers as soon as it
     * is loaded; an upstream answers its own health or listing endpoint. Completes exceptionally when it cannot.
     */
    default CompletionStage<Void> check() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    default void close() {
    }
}
