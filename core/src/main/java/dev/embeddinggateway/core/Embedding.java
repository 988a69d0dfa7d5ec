package dev.embeddinggateway.core;

/**
 * One input's vector and the tokens the model saw for it: they travel together so that usage is never
 * derived again.
 */
public record Embedding(float[] vector, int tokens) {
}
