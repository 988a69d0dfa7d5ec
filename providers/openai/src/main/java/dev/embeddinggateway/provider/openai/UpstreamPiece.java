package dev.embeddinggateway.provider.openai;

import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.Cl100k;

import java.util.List;

/**
 * What one upstream input carries: a client's input, or the part of it the long-input policy keeps (a
 * truncated prefix, or one window of a chunked text). Tokens are cl100k_base, as OpenAI counts them.
 *
 * @param input  the client's input index it belongs to
 * @param tokens its cl100k_base token count
 */
record UpstreamPiece(int input, Input upstream, int tokens) {

    /** The pieces of client input {@code index}: one when it fits or is truncated, several for chunk. */
    static List<UpstreamPiece> of(int index, Input input, Tokens tokens, int maxTokens, LongInputPolicy policy, String model) {
        if (tokens.count() <= maxTokens) {
            return List.of(new UpstreamPiece(index, input, tokens.count()));
        }
        return tokens.fit(maxTokens, policy, index, model).stream().map(slice -> {
            // A client that sent text keeps sending text: not every OpenAI-compatible server takes token ids.
            Input part = input instanceof Input.TokenIds ? new Input.TokenIds(slice) : new Input.Text(Cl100k.decode(slice, index));
            return new UpstreamPiece(index, part, slice.length);
        }).toList();
    }
}
