package dev.embeddinggateway.provider.rest;

import java.util.concurrent.CompletionStage;

/**
 * A {@link TextUpstreamProvider} over a server's HTTP API through a REST client of this instance's own
 * ({@link RestUpstream}): TEI, Ollama.
 */
public abstract class RestEmbeddingProvider extends TextUpstreamProvider {
    protected final RestUpstream upstream;

    /** @param server the kind of server, for messages ("TEI") */
    protected RestEmbeddingProvider(RestUpstream upstream, String server, RestUpstream.Statuses statuses) {
        super(upstream.name(), server, statuses);
        this.upstream = upstream;
    }

    /** Waits for a call made at start (metadata), within the timeout. */
    protected <T> T await(CompletionStage<T> call) {
        return upstream.await(call, statuses());
    }
}
