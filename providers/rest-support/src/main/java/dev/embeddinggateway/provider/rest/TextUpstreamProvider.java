package dev.embeddinggateway.provider.rest;

import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.EmbeddingProvider;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.EmbeddingResult;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.LongInputPolicy;
import dev.embeddinggateway.core.TokenizedText;
import dev.embeddinggateway.core.Tokens;
import dev.embeddinggateway.core.support.Cl100k;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A provider in front of a server with its own tokenizer: it is sent texts (token ids decoded), truncates or refuses
 * long input itself, and its failures are read by its status meanings. It needs no REST client of its own: a
 * subclass makes its calls as it will ({@link RestEmbeddingProvider} through one, Bedrock through the AWS SDK).
 */
public abstract class TextUpstreamProvider implements EmbeddingProvider {
    private final String name;
    private final String server;
    private final RestUpstream.Statuses statuses;

    /**
     * @param name     the instance name
     * @param server   the kind of server, for messages ("TEI")
     * @param statuses what its HTTP error statuses mean
     */
    protected TextUpstreamProvider(String name, String server, RestUpstream.Statuses statuses) {
        this.name = name;
        this.server = server;
        this.statuses = statuses;
    }

    /** The kind of server, for messages. */
    protected String server() {
        return server;
    }

    /** What the server's HTTP error statuses mean. */
    protected RestUpstream.Statuses statuses() {
        return statuses;
    }

    /** One embeddings call (or several) for these texts; {@code truncate} false: the server refuses long input. */
    protected abstract CompletableFuture<EmbeddingResult> send(EmbeddingRequest request, List<String> texts, boolean truncate);

    /** The server's own free health call ({@code /health}, {@code /api/version}). */
    protected abstract CompletionStage<?> health();

    @Override
    public CompletionStage<Void> check() {
        return health().<Void>thenApply(answer -> null).toCompletableFuture()
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(RestFailures.map(name(), e, statuses)));
    }

    @Override
    public String name() {
        return name;
    }

    /** Before the call, for limits: an estimate (cl100k_base); the answer carries the model's own count. */
    @Override
    public CompletionStage<List<Tokens>> tokenize(String model, List<Input> inputs) {
        return Cl100k.tokenize(inputs);
    }

    /** cl100k_base only estimates the server's tokenizer. */
    @Override
    public CompletionStage<List<TokenizedText>> tokenizeForClient(String model, List<Input> inputs, String inputType) {
        return Cl100k.tokenizeForClient(inputs, true);
    }

    @Override
    public CompletionStage<EmbeddingResult> embed(EmbeddingRequest request) {
        if (request.longInput() == LongInputPolicy.CHUNK) {
            // Such a server truncates or refuses long input: it cannot return windows.
            return CompletableFuture.failedFuture(new BadInputException("Model '" + request.model() + "' is served by "
                    + server + ", which truncates or refuses long input; long-input=chunk is not available for it.",
                    "input", null));
        }
        List<String> texts;
        try {
            texts = Input.texts(request.inputs());
        } catch (BadInputException notCl100kIds) {
            return CompletableFuture.failedFuture(notCl100kIds);
        }
        return send(request, texts, request.longInput() == LongInputPolicy.TRUNCATE)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(RestFailures.map(name(), e, statuses)));
    }
}
