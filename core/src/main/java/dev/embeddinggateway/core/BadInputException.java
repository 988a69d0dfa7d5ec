package dev.embeddinggateway.core;

/**
 * The client's input cannot be embedded as sent (too long, undecodable token ids, …). Retrying elsewhere
 * will not help; the client must change the request.
 *
 * @see #param() the request field at fault
 * @see #code() OpenAI's error code, such as {@code context_length_exceeded}; may be null
 */
public final class BadInputException extends ProviderException {
    private final String param;
    private final String code;

    public BadInputException(String message, String param, String code) {
        super(message, null);
        this.param = param;
        this.code = code;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
