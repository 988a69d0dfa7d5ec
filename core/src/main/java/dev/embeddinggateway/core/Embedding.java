package dev.embeddinggateway.core;

/**
 * One input's vector and the tokens the model saw for it: they travel together so that usage is never
 * derived again.
 *
 * @param truncated whether the input was cut to the model's length (the long-input policy {@code truncate})
 */
public record Embedding(float[] vector, int tokens, boolean truncated) {

    /** An input the model saw whole. */
    public Embedding(float[] vector, int tokens) {
        this(vector, tokens, false);
    }
}
