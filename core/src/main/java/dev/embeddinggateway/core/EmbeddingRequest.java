package dev.embeddinggateway.core;

import java.util.List;

/**
 * A batch for one provider.
 *
 * @param model      the model's name at the provider
 * @param inputs     what to embed, in order
 * @param dimensions the vector size wanted; the model's native size when the client named none
 * @param longInput  what to do with inputs longer than the model takes
 * @param user       the client's end-user id, passed to providers that take it; may be null
 */
public record EmbeddingRequest(String model, List<Input> inputs, int dimensions, LongInputPolicy longInput,
                               String user) {

    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }
}
