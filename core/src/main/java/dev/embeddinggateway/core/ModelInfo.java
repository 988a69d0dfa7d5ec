package dev.embeddinggateway.core;

import dev.embeddinggateway.core.support.Cl100k;

import java.math.BigDecimal;

/**
 * What a provider declares about a model it serves.
 *
 * @param id              the model's name at this provider
 * @param dimensions      the native vector size
 * @param maxInputTokens  the most tokens one input may carry (special tokens included)
 * @param matryoshka      whether smaller {@code dimensions} may be asked for
 * @param longInput       the long-input policy used when the gateway's model configuration names none
 * @param space           what must match for two providers to be interchangeable
 * @param tokenizer       what {@link EmbeddingProvider#tokenize} uses ({@link Cl100k#ID}, or a checksum of a
 *                        tokenizer file): a model's providers must share it, since one tokenization serves them all
 * @param pricePerMillionTokens what the provider charges, in USD, when the operator sets no price
 * @param inputTypes      what the model does with {@code input_type}: its prompts, or the provider's own mapping
 */
public record ModelInfo(String id, int dimensions, int maxInputTokens, boolean matryoshka,
                        LongInputPolicy longInput, EmbeddingSpace space, String tokenizer,
                        BigDecimal pricePerMillionTokens, InputTypes inputTypes) {

    /** A model with no input types of its own ({@code query} and {@code document} change nothing). */
    public ModelInfo(String id, int dimensions, int maxInputTokens, boolean matryoshka, LongInputPolicy longInput,
                     EmbeddingSpace space, String tokenizer, BigDecimal pricePerMillionTokens) {
        this(id, dimensions, maxInputTokens, matryoshka, longInput, space, tokenizer, pricePerMillionTokens, InputTypes.NONE);
    }

    public boolean accepts(int requestedDimensions) {
        return requestedDimensions == dimensions || (matryoshka && requestedDimensions <= dimensions);
    }
}
