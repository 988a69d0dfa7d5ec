package dev.embeddinggateway.routing;

import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.Priority;
import dev.embeddinggateway.core.Tokens;
import io.opentelemetry.context.Context;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * A client's inputs on their way along a route. They are tokenized once, when first needed (the caller's
 * token limit or budget, else the provider call), and those tokens serve every provider of the route: its
 * providers share one tokenizer ({@link Routes} checks it at start).
 *
 * @param inputs     what the model embeds: the client's inputs, with the prompt of their input type before each
 * @param dimensions the vector size wanted
 * @param user       the client's end-user id; may be null
 * @param inputType  the input type the providers map themselves ({@link InputTypes#mappedByProvider()}); null else
 * @param tokens     empty until tokenized, then one per input
 * @param priority   interactive or batch work
 * @param trace      the request's trace context, the parent of the spans made on the way ({@link Context#root()}
 *                   for none)
 */
public record RoutedInputs(Route route, List<Input> inputs, int dimensions, String user, String inputType,
                           List<Tokens> tokens, Priority priority, Context trace) {

    public RoutedInputs {
        inputs = List.copyOf(inputs);
        tokens = List.copyOf(tokens);
        if (!tokens.isEmpty() && tokens.size() != inputs.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + tokens.size() + " tokenized");
        }
    }

    /**
     * The client's inputs under their {@code input_type} (null: the model's default, if any): with the model's
     * prompt for it put before each text, or the type handed to the providers that map it themselves.
     *
     * @throws dev.embeddinggateway.core.BadInputException naming {@code input_type} when the model has no such type
     */
    public static RoutedInputs of(Route route, List<Input> inputs, int dimensions, String user, String inputType,
                                  Priority priority, Context trace) {
        InputTypes types = route.inputTypes();
        Optional<String> type = types.effective(inputType, route.name());
        String prompt = type.map(types.prompts()::get).orElse(null);
        if (prompt != null) {
            List<Input> prompted = IntStream.range(0, inputs.size())
                    .mapToObj(i -> (Input) new Input.Text(prompt + inputs.get(i).text(i))).toList();
            return new RoutedInputs(route, prompted, dimensions, user, null, List.of(), priority, trace);
        }
        return new RoutedInputs(route, inputs, dimensions, user, type.filter(types.mappedByProvider()::contains)
                .orElse(null), List.of(), priority, trace);
    }

    /** The prompt put before each input: its length is where the client's own text starts. */
    public static String prompt(Route route, String inputType) {
        InputTypes types = route.inputTypes();
        return types.effective(inputType, route.name()).map(types.prompts()::get).orElse("");
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
                .thenApply(counted -> new RoutedInputs(route, inputs, dimensions, user, inputType, counted, priority, trace));
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
        return new RoutedInputs(route, positions.stream().map(inputs::get).toList(), dimensions, user, inputType,
                tokenized() ? positions.stream().map(tokens::get).toList() : List.of(), priority, trace);
    }

    /** What a provider of the route is sent: tokenized inputs only. */
    EmbeddingRequest request() {
        if (!tokenized()) {
            throw new IllegalStateException("not tokenized yet");
        }
        return new EmbeddingRequest(route.upstreamModel(), inputs, tokens, dimensions, route.longInput(), user, inputType,
                priority);
    }
}
