package dev.embeddinggateway.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The gateway's own limits on a provider instance (its upstream account's quota), asked before each call. */
public interface ProviderAdmission {

    /** Whether a call of {@code tokens} may go to the provider now; when not, how long until it would. */
    CompletionStage<Optional<Duration>> admit(String provider, long tokens);

    /** After the call: the provider's own count replaces the estimate. */
    void reconcile(String provider, long estimatedTokens, long actualTokens);

    /** Whether the provider has a token limit at all (else counting tokens is wasted). */
    boolean countsTokens(String provider);
}
