package dev.embeddinggateway.core;

import java.util.List;

/**
 * A provider's answer to one {@link EmbeddingRequest}: one embedding per input, in input order.
 *
 * @param promptTokens the tokens of the whole request as the model counted them: a remote provider's own
 *                     figure, which can differ from the sum of the per-input estimates
 * @param estimated    whether {@code promptTokens} is an estimate: the provider's answer counted no tokens
 */
public record EmbeddingResult(List<Embedding> embeddings, int promptTokens, boolean estimated) {

    public EmbeddingResult {
        embeddings = List.copyOf(embeddings);
    }

    /** A count the provider made (or the model's own tokenizer). */
    public EmbeddingResult(List<Embedding> embeddings, int promptTokens) {
        this(embeddings, promptTokens, false);
    }

    /** For providers whose per-input counts are exact: the request's tokens are their sum. */
    public EmbeddingResult(List<Embedding> embeddings) {
        this(embeddings, embeddings.stream().mapToInt(Embedding::tokens).sum());
    }
}
