package dev.embeddinggateway.provider.rest;

import dev.embeddinggateway.core.BadInputException;
import dev.embeddinggateway.core.EmbeddingRequest;
import dev.embeddinggateway.core.LongInputPolicy;

import java.util.List;
import java.util.stream.IntStream;

/** The texts a server with its own tokenizer is sent (token ids decoded), for the policies it can apply. */
public final class UpstreamTexts {
    private UpstreamTexts() {
    }

    /**
     * @param server the kind of server, for the message
     * @throws BadInputException for {@code chunk} (such a server truncates or refuses long input, it cannot
     *                           return windows) and for token ids that are no cl100k_base tokens
     */
    public static List<String> of(EmbeddingRequest request, String server) {
        if (request.longInput() == LongInputPolicy.CHUNK) {
            throw new BadInputException("Model '" + request.model() + "' is served by " + server + ", which truncates or "
                    + "refuses long input; long-input=chunk is not available for it.", "input", null);
        }
        return IntStream.range(0, request.inputs().size()).mapToObj(i -> request.inputs().get(i).text(i)).toList();
    }

    /** Whether the server is to truncate (else it refuses long input). */
    public static boolean truncate(EmbeddingRequest request) {
        return request.longInput() == LongInputPolicy.TRUNCATE;
    }
}
