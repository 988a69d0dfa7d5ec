package dev.embeddinggateway.core;

import java.util.List;
import java.util.Map;

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
 * @param inputType  the client's {@code input_type} when this provider maps it to its upstream's own field
 *                   ({@link InputTypes#mappedByProvider()}); null else (a prompt is already in the inputs)
 * @param priority   interactive or batch work
 * @param traceHeaders W3C trace-context headers ({@code traceparent}, {@code tracestate}) of the gateway's span for
 *                   this call, for a provider to send upstream; empty when tracing is off
 */
public record EmbeddingRequest(String model, List<Input> inputs, List<Tokens> tokens, int dimensions,
                               LongInputPolicy longInput, String user, String inputType, Priority priority,
                               Map<String, String> traceHeaders) {

    public EmbeddingRequest(String model, List<Input> inputs, List<Tokens> tokens, int dimensions,
                            LongInputPolicy longInput, String user, String inputType, Priority priority) {
        this(model, inputs, tokens, dimensions, longInput, user, inputType, priority, Map.of());
    }

    public EmbeddingRequest(String model, List<Input> inputs, List<Tokens> tokens, int dimensions,
                            LongInputPolicy longInput, String user) {
        this(model, inputs, tokens, dimensions, longInput, user, null, Priority.INTERACTIVE);
    }

    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
        tokens = List.copyOf(tokens);
        traceHeaders = Map.copyOf(traceHeaders);
        if (tokens.size() != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + tokens.size() + " tokenized");
        }
    }

    /** This request with the trace-context headers of the span that calls the provider. */
    public EmbeddingRequest tracedBy(Map<String, String> headers) {
        return new EmbeddingRequest(model, inputs, tokens, dimensions, longInput, user, inputType, priority, headers);
    }
}
