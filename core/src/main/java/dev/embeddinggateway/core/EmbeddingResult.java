package dev.embeddinggateway.core;

import java.util.List;

/** A provider's answer to one {@link EmbeddingRequest}: one embedding per input, in input order. */
public record EmbeddingResult(List<Embedding> embeddings) {

    public EmbeddingResult {
        embeddings = List.copyOf(embeddings);
    }

    public int promptTokens() {
        return embeddings.stream().mapToInt(Embedding::tokens).sum();
    }
}
