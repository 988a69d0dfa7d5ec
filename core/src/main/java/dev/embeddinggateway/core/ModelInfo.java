package dev.embeddinggateway.core;

/**
 * What a provider declares about a model it serves.
 *
 * @param id              the model's name at this provider
 * @param dimensions      the native vector size
 * @param maxInputTokens  the most tokens one input may carry (special tokens included)
 * @param matryoshka      whether smaller {@code dimensions} may be asked for
 * @param longInput       the long-input policy used when the gateway's model configuration names none
 * @param space           what must match for two providers to be interchangeable
 */
public record ModelInfo(String id, int dimensions, int maxInputTokens, boolean matryoshka,
                        LongInputPolicy longInput, EmbeddingSpace space) {

    public boolean accepts(int requestedDimensions) {
        return requestedDimensions == dimensions || (matryoshka && requestedDimensions <= dimensions);
    }
}
