package dev.embeddinggateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * An error as OpenAI's API writes it: {@code {"error":{"message","type","param","code"}}}, every field
 * present (null where it does not apply), so OpenAI SDKs parse it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String message, String type, String param, String code) {
    public static final String INVALID_REQUEST = "invalid_request_error";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiError invalid(String message, String param) {
        return new ApiError(message, INVALID_REQUEST, param, null);
    }

    public Map<String, ApiError> body() {
        return Map.of("error", this);
    }

    /** For the responses written outside JAX-RS (unknown paths, oversized bodies). */
    public String json() {
        try {
            return JSON.writeValueAsString(body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
