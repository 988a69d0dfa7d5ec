package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.core.Input;

import java.util.List;

/**
 * What a client asks of {@code POST /v1/embeddings}, as read from its body: the same whether it came over HTTP
 * or from anywhere else that serves embeddings for a caller.
 *
 * @param model      null when the client named none (the default model serves)
 * @param encoding   how the vectors are written
 * @param dimensions null when the client named none
 * @param user       the client's end-user id; may be null
 * @param inputType  {@code query}, {@code document}, ...; null when the client named none
 */
public record ClientRequest(String model, List<Input> inputs, VectorEncoding encoding, Integer dimensions, String user,
                            String inputType) {

    public ClientRequest {
        inputs = List.copyOf(inputs);
    }
}
