package dev.embeddinggateway.pipeline;

import dev.embeddinggateway.core.Input;

import java.util.List;

/**
 * What a client asks of {@code POST /v1/embeddings}, as read from its body: the same whether it came over HTTP
 * or from anywhere else that serves embeddings for a caller.
 *
 * @param model      null when the client named none (the default model serves)
 * @param base64     vectors as base64 strings instead of arrays of floats
 * @param dimensions null when the client named none
 * @param user       the client's end-user id; may be null
 */
public record ClientRequest(String model, List<Input> inputs, boolean base64, Integer dimensions, String user) {

    public ClientRequest {
        inputs = List.copyOf(inputs);
    }
}
