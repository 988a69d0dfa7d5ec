package dev.embeddinggateway.core;

/** Why a provider could not embed: its subclasses tell the caller's fault from the provider's. */
public abstract sealed class ProviderException extends RuntimeException
        permits BadInputException, OverloadedException, ProviderFailedException {

    protected ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
