package dev.embeddinggateway.provider.openai;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** What OpenAI publishes of its embedding models, so that they need no configuration. */
final class KnownModels {
    /** OpenAI's limit per input, for every embedding model. */
    static final int MAX_INPUT_TOKENS = 8191;

    /**
     * @param matryoshka            whether the model takes {@code dimensions}
     * @param pricePerMillionTokens OpenAI's list price, USD
     */
    record Known(int dimensions, boolean matryoshka, BigDecimal pricePerMillionTokens) {
    }

    private static final Map<String, Known> MODELS = Map.of(
            "text-embedding-3-small", new Known(1536, true, new BigDecimal("0.02")),
            "text-embedding-3-large", new Known(3072, true, new BigDecimal("0.13")),
            "text-embedding-ada-002", new Known(1536, false, new BigDecimal("0.10")));

    private KnownModels() {
    }

    static Optional<Known> find(String model) {
        return Optional.ofNullable(MODELS.get(model));
    }

    static Iterable<String> ids() {
        return new TreeSet<>(MODELS.keySet());
    }
}
