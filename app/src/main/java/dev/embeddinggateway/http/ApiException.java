package dev.embeddinggateway.http;

import java.util.Map;

/** A request the gateway answers with an error status and an {@link ApiError} body. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final ApiError error;
    private final Map<String, String> headers;

    public ApiException(int status, ApiError error, Map<String, String> headers) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public ApiException(int status, ApiError error) {
        this(status, error, Map.of());
    }

    public static ApiException invalid(String message, String param) {
        return new ApiException(400, ApiError.invalid(message, param));
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(404, new ApiError("The model '" + model
                + "' does not exist or you do not have access to it. GET /v1/models lists the models.",
                ApiError.INVALID_REQUEST, "model", "model_not_found"));
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
