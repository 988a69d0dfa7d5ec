package dev.embeddinggateway.provider.openai;

import java.util.Map;
import java.util.Optional;

/** What OpenAI publishes of its embedding models, so that they need no configuration. */
final class KnownModels {
    /** OpenAI's limit per input, for every embedding model. */
    static final int MAX_INPUT_TOKENS = 8191;

    /** @param matryoshka whether the model takes {@code dimensions} */
    record Known(int dimensions, boolean matryoshka) {
    }

    private static final Map<String, Known> MODELS = Map.of(
            "text-embedding-3-small", new Known(1536, true),
            "text-embedding-3-large", new Known(3072, true),
            "text-embedding-ada-002", new Known(1536, false));

    private KnownModels() {
    }

    static Optional<Known> find(String model) {
        return Optional.ofNullable(MODELS.get(model));
    }

    static Iterable<String> ids() {
        return new java.util.TreeSet<>(MODELS.keySet());
    }
}
