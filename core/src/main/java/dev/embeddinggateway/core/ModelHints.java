package dev.embeddinggateway.core;

import java.util.Optional;

/**
 * What the operator says of a model the provider may not know ({@code gateway.models.<m>.dimensions},
 * {@code .max-input-tokens}): an OpenAI-compatible server's own models have no built-in metadata.
 */
public record ModelHints(Optional<Integer> dimensions, Optional<Integer> maxInputTokens) {
    public static final ModelHints NONE = new ModelHints(Optional.empty(), Optional.empty());
}
