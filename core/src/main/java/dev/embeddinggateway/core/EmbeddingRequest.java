package dev.embeddinggateway.core;

import java.util.List;

/**
 * A batch for one provider.
 *
 * @param model      the model's name at the provider
 * @param inputs     what to embed, in order
 * @param tokens     each input's tokens, as this provider's {@link EmbeddingProvider#tokenize} made them: the
 *                   provider embeds these and never tokenizes again
 * @param dimensions the vector size wanted; the model's native size when the client named none
 * @param longInput  what to do with inputs longer than the model takes
 * @param user       the client's end-user id, passed to providers that take it; may be null
 */
public record EmbeddingRequest(String model, List<Input> inputs, List<Tokens> tokens, int dimensions,
                               LongInputPolicy longInput, String user) {

    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
        tokens = List.copyOf(tokens);
        if (tokens.size() != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + tokens.size() + " tokenized");
        }
    }
}
