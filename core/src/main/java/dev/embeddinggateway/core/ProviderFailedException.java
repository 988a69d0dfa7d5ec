package dev.embeddinggateway.core;

/**
 * The provider failed (upstream error, runtime failure). Another provider of the same embedding space may
 * succeed. The message names the provider instance and never carries a secret.
 */
public final class ProviderFailedException extends ProviderException {
    private final boolean timeout;

    public ProviderFailedException(String message, boolean timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    public boolean timeout() {
        return timeout;
    }
}
