package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.Tokens;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A client's inputs on their way along a route. They are tokenized once, when first needed (the caller's
 * token limit or budget, else the provider call), and those tokens serve every provider of the route: its
 * providers share one tokenizer ({@link Routes} checks it at start).
 *
 * @param dimensions the vector size wanted
 * @param user       the client's end-user id; may be null
 * @param tokens     empty until tokenized, then one per input
 */
public record RoutedInputs(Route route, List<Input> inputs, int dimensions, String user, List<Tokens> tokens) {

    public RoutedInputs {
        inputs = List.copyOf(inputs);
        tokens = List.copyOf(tokens);
        if (!tokens.isEmpty() && tokens.size() != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + tokens.size() + " tokenized");
        }
    }

    public RoutedInputs(Route route, List<Input> inputs, int dimensions, String user) {
        this(route, inputs, dimensions, user, List.of());
    }

    public boolean tokenized() {
        return tokens.size() == inputs.size();
    }

    /** These inputs with their tokens: as they are when tokenized already, else tokenized by {@code provider}. */
    public CompletionStage<RoutedInputs> tokenizedBy(EmbeddingProvider provider) {
        if (tokenized()) {
            return CompletableFuture.completedFuture(this);
        }
        return provider.tokenize(route.upstreamModel(), inputs)
                .thenApply(counted -> new RoutedInputs(route, inputs, dimensions, user, counted));
    }

    /** The tokens the model sees of these inputs: an input that is truncated counts up to the model's limit. */
    public long tokensSeen() {
        if (!tokenized()) {
            throw new IllegalStateException("not tokenized yet");
        }
        int max = route.info().maxInputTokens();
        return tokens.stream().mapToLong(t -> route.longInput().seen(t.count(), max)).sum();
    }

    /** The inputs at {@code positions}, with their tokens when tokenized. */
    public RoutedInputs only(List<Integer> positions) {
        return new RoutedInputs(route, positions.stream().map(inputs::get).toList(), dimensions, user,
                tokenized() ? positions.stream().map(tokens::get).toList() : List.of());
    }

    /** What a provider of the route is sent: tokenized inputs only. */
    EmbeddingRequest request() {
        if (!tokenized()) {
            throw new IllegalStateException("not tokenized yet");
        }
        return new EmbeddingRequest(route.upstreamModel(), inputs, tokens, dimensions, route.longInput(), user);
    }
}
