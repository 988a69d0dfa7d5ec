package dev.embeddinggateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.embeddinggateway.auth.CurrentCaller;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.Priority;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.BodySizeLimit;
import dev.embeddinggateway.pipeline.EmbeddingsPipeline;
import dev.embeddinggateway.routing.Route;
import dev.embeddinggateway.routing.RoutedInputs;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/tokenize}, for chunkers: each input's tokens as the embeddings call would count them (the model's
 * own tokenizer, the input type's prompt included), whether the model would cut it, and where each token lies in
 * the client's text. Never billed; the key, its models and its request limit apply as for embeddings.
 */
@Path("/v1/tokenize")
public class TokenizeResource {
    /** The most tokens one answer lists: OpenAI's limit of tokens in one embeddings request. */
    static final int MAX_TOKENS = 300_000;
    /**
     * The most characters (and token ids) a request may send: text averages about four characters a token, and a
     * text this long is all the tokenizer holds at once for one request (its memory stays the process's).
     */
    static final long MAX_CHARACTERS = 4L * MAX_TOKENS;
    private final EmbeddingsPipeline pipeline;
    private final CurrentCaller currentCaller;
    private final BodySizeLimit bodies;

    public TokenizeResource(EmbeddingsPipeline pipeline, CurrentCaller currentCaller, BodySizeLimit bodies) {
        this.pipeline = pipeline;
        this.currentCaller = currentCaller;
        this.bodies = bodies;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Body> tokenize(InputStream body) throws IOException {
        TokenizeJson.Request request = TokenizeJson.parse(bodies.readWithinLimit(body));
        refuseTooLong(request.inputs());
        return pipeline.admitUnbilled(currentCaller.get(), request.model()).thenCompose(route -> {
            RoutedInputs inputs = RoutedInputs.of(route, request.inputs(), route.info().dimensions(), null, request.inputType(),
                    Priority.INTERACTIVE, Context.root());
            String prompt = RoutedInputs.prompt(route, request.inputType());
            int promptLength = prompt.codePointCount(0, prompt.length());
            return route.providers().get(0).tokenizeForClient(route.upstreamModel(), inputs.inputs(), inputs.inputType())
                    .thenApply(texts -> answer(route, request, texts, promptLength));
        });
    }

    /** A 400 for inputs past {@link #MAX_CHARACTERS}, before the tokenizer sees them. */
    static void refuseTooLong(List<Input> inputs) {
        long characters = inputs.stream().mapToLong(TokenizeResource::length).sum();
        if (characters > MAX_CHARACTERS) {
            throw tooLarge(characters + " characters", MAX_CHARACTERS + " characters");
        }
    }

    private static long length(Input input) {
        return input instanceof Input.Text text ? text.text().length() : ((Input.TokenIds) input).ids().length;
    }

    private static ApiException tooLarge(String has, String most) {
        return ApiException.invalid("This request has " + has + "; /v1/tokenize takes at most " + most + " a request "
                + "(" + MAX_TOKENS + " tokens, OpenAI's limit of one embeddings request). Send fewer or shorter inputs "
                + "per request.", "input");
    }

    private static Body answer(Route route, TokenizeJson.Request request, List<TokenizedText> texts, int promptLength) {
        long tokens = texts.stream().mapToLong(t -> t.tokens().count()).sum();
        if (tokens > MAX_TOKENS) {
            throw tooLarge(tokens + " tokens", MAX_TOKENS + " tokens");
        }
        int max = route.info().maxInputTokens();
        List<Data> data = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            TokenizedText text = texts.get(i);
            int count = text.tokens().count();
            data.add(new Data(i, count, route.longInput().cuts(count, max), text.estimated(),
                    request.returnIds() ? text.tokens().ids() : null,
                    request.returnOffsets() ? inClientText(text.spans(), promptLength) : null));
        }
        return new Body(route.name(), max, route.longInput().name().toLowerCase(Locale.ROOT), data);
    }

    /**
     * Spans in the client's own text: the prompt's length off each; a token of the prompt, or a special token, has
     * none. An empty list when the tokenizer gives no places.
     */
    private static List<int[]> inClientText(int[][] spans, int promptLength) {
        if (spans == null) {
            return List.of();
        }
        return Arrays.stream(spans).map(s -> s == null || s[1] <= promptLength ? null
                : new int[]{Math.max(0, s[0] - promptLength), s[1] - promptLength}).toList();
    }

    /**
     * @param longInput what the model does with an input over {@code max_input_tokens}: {@code truncate},
     *                  {@code chunk} or {@code error}
     */
    @JsonPropertyOrder({"object", "model", "max_input_tokens", "long_input", "data"})
    public record Body(String model, @JsonProperty("max_input_tokens") int maxInputTokens,
                       @JsonProperty("long_input") String longInput, List<Data> data) {
        @JsonProperty
        String object() {
            return "list";
        }
    }

    /**
     * @param tokens    what the embeddings call counts of this input
     * @param truncated whether the model would see only its first {@code max_input_tokens}
     * @param estimated whether {@code tokens} is an estimate (the model's tokenizer is not at hand)
     * @param ids       with {@code return_ids}
     * @param offsets   with {@code return_offsets}: each token's {@code [start, end)} in the input, in characters
     *                  (Unicode code points); null for a special or prompt token
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"object", "index", "tokens", "truncated", "estimated", "ids", "offsets"})
    public record Data(int index, int tokens, boolean truncated, boolean estimated, int[] ids, List<int[]> offsets) {
        @JsonProperty
        String object() {
            return "tokenization";
        }
    }
}
